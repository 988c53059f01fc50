/**
 * @file http/request_id.c
 * @brief Validating and making request ids.
 */
#include "http/request_id.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static _Thread_local uint64_t sequence;
static _Thread_local bool seeded;

bool
request_id_valid(const char *id)
{
  size_t n = 0;

  if (NULL == id)
    return false;
  for (; '\0' != id[n]; n++) {
    char c = id[n];

    if (n == REQUEST_ID_MAX)
      return false;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || '.' == c || '_' == c || '-' == c))
      return false;
  }
  return n > 0;
}

static void
seed(void)
{
  uint64_t s = 0;

  if ((ssize_t) sizeof s != getrandom(&s, sizeof s, GRND_NONBLOCK)) {
    /* No entropy yet (early boot): the clock and the thread still make
     * the starting points differ. */
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    s = (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
    s ^= (uint64_t) (uintptr_t) pthread_self() * UINT64_C(0x9e3779b97f4a7c15);
  }
  sequence = s;
  seeded = true;
}

/* SplitMix64: a bijection of the counter, so one thread's ids never repeat,
 * and consecutive ids share no visible digits. */
static uint64_t
next_value(void)
{
  uint64_t z;

  if (!seeded)
    seed();
  sequence += UINT64_C(0x9e3779b97f4a7c15);
  z = sequence;
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
request_id_assign(const char *incoming, char out[REQUEST_ID_MAX + 1])
{
  static const char hex[] = "0123456789abcdef";
  uint64_t v;

  if (request_id_valid(incoming)) {
    strcpy(out, incoming);
    return;
  }
  v = next_value();
  for (int i = REQUEST_ID_NEW_LEN - 1; i >= 0; i--) {
    out[i] = hex[v & 0xf];
    v >>= 4;
  }
  out[REQUEST_ID_NEW_LEN] = '\0';
}
