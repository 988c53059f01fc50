/**
 * @file http/deadline.h
 * @brief A deadline for each request to arrive: a connection that has not
 *        delivered its request within it is closed.
 *
 * libmicrohttpd's --timeout counts inactivity, so a client sending a
 * header byte every few seconds (slowloris) holds its connection for ever;
 * enough of them take every connection. Here a connection is armed when it
 * opens and after each answer, disarmed once its request is answered (or,
 * for an authorised upload, once its headers are in), and a watcher thread
 * shuts down every connection armed for longer than the deadline.
 */
#ifndef TECHPAY_HTTP_DEADLINE_H
#define TECHPAY_HTTP_DEADLINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/** One connection's place in the watch; lives in its request state. */
struct deadline_entry {
  struct deadline_entry *prev;
  struct deadline_entry *next;
  int fd;                       /* the connection's socket, owned by libmicrohttpd */
  atomic_uint_fast64_t since_ns; /* when it started waiting for a request; 0: not waiting */
};

struct deadline_watch;

/**
 * Starts the watcher thread. @return the watch, or NULL with @a err set
 */
struct deadline_watch *deadline_watch_start(unsigned seconds, char *err, size_t err_size);

/** Stops and frees the watch; NULL is ignored. Entries left are not touched. */
void deadline_watch_stop(struct deadline_watch *w);

/** Watches @a e (socket @a fd), armed from now. @a w may be NULL (no deadline). */
void deadline_watch_add(struct deadline_watch *w, struct deadline_entry *e, int fd);

/**
 * Stops watching @a e. Called before libmicrohttpd closes the socket, so
 * the watcher never shuts down a descriptor that was closed and reused.
 */
void deadline_watch_remove(struct deadline_watch *w, struct deadline_entry *e);

/** The connection waits for a request from now on. */
void deadline_entry_arm(struct deadline_entry *e);

/** The connection's request has arrived: no deadline until armed again. */
void deadline_entry_disarm(struct deadline_entry *e);

#endif
