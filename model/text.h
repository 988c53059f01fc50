/**
 * @file model/text.h
 * @brief What a text value must be (UTF-8, no control characters, no
 *        whitespace at its edges, a length in characters) and how a bad one
 *        is quoted back, shared by every field check.
 */
#ifndef TECHPAY_MODEL_TEXT_H
#define TECHPAY_MODEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** C0, DEL and C1. */
bool text_is_control(uint32_t cp);

/** White space, ASCII and Unicode. */
bool text_is_space(uint32_t cp);

/** What a scan of a text found. */
struct text_facts {
  size_t chars;    /* code points */
  bool invalid;    /* not UTF-8 (the other facts are then incomplete) */
  bool nul;
  bool control;    /* a control character that is not allowed */
  bool edge_space; /* starts or ends with whitespace */
};

/**
 * Scans @a len bytes of @a s; newline and tab are allowed when
 * @a multiline.
 */
void text_scan(const char *s, size_t len, bool multiline, struct text_facts *f);

/** Whether @a len bytes of @a s match ^[a-z0-9]+(-[a-z0-9]+)*$. */
bool text_slug_shape(const char *s, size_t len);

/**
 * Appends @a s to dst[used..] in whole characters, as long as they fit,
 * with '?' for bytes that are not UTF-8 (a field name may be any key of a
 * body). @return the new length
 */
size_t text_append_chars(char *dst, size_t size, size_t used, const char *s);

/**
 * Copies at most @a max bytes of @a s (@a n bytes) into @a out (at least
 * @a max + 4 bytes), in whole characters; bytes that are not UTF-8 and
 * control characters become '?'. Appends "..." when cut.
 */
void text_sanitize(char *out, const char *s, size_t n, size_t max);

#endif
