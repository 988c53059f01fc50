/**
 * @file model/ndjson_shortcut.c
 * @brief A fast reader for compact NDJSON lines (see below), with jansson
 *        as the judge of every line it does not take.
 */
#include <string.h>

#include "model/rows_internal.h"
#include "util/utf8.h"

/*
 * The shortcut for compact lines, the common case by far (a GET /salaries
 * item as json_dumps() writes it): jansson reads about 50 MB/s, which would
 * make parsing most of the time an import takes. It accepts only a subset
 * of JSON it can read exactly as jansson does: an object whose members are
 * the known ones, each once, with strings free of escapes, integers of at
 * most 18 digits, true, false and null, and a "source" object of the same
 * kind. Any
 * other line (escapes, reals, arrays, unknown or repeated
 * members, anything malformed) is left to jansson, so that jansson's
 * reading, and its error messages, decide every line this one does not.
 */
#define SHORTCUT_MAX_MEMBERS 32

struct shortcut_member {
  const struct column_name *c; /* top level: which member; NULL inside "source" */
  const char *key;             /* the key, in the line */
  size_t key_len;
  struct field_value v;                 /* v.s points into the line, NUL-terminated once accepted */
};

struct shortcut {
  char *p;
  char *end;
  struct shortcut_member m[SHORTCUT_MAX_MEMBERS];
  size_t n;
};

static void
sc_ws(struct shortcut *sc)
{
  while (sc->p < sc->end && (' ' == *sc->p || '\t' == *sc->p))
    sc->p++;
}

/* A string without escapes or control characters, in valid UTF-8. */
static bool
sc_string(struct shortcut *sc, const char **s, size_t *n)
{
  const unsigned char *u;
  const unsigned char *end = (const unsigned char *) sc->end;

  if (sc->p >= sc->end || '"' != *sc->p)
    return false;
  u = (const unsigned char *) ++sc->p;
  while (u < end && '"' != *u) {
    uint32_t cp;
    size_t len;

    if (*u >= 0x20 && *u < 0x80 && '\\' != *u) {
      u++;
      continue;
    }
    if (*u < 0x80)
      return false; /* an escape or a control character */
    len = utf8_decode(u, (size_t) (end - u), &cp);
    if (0 == len)
      return false;
    u += len;
  }
  if (u >= end)
    return false;
  *s = sc->p;
  *n = (size_t) ((const char *) u - sc->p);
  sc->p = (char *) u + 1;
  return true;
}

/* A string, an integer, true, false or null; a "source" object is read by the caller. */
static bool
sc_value(struct shortcut *sc, struct field_value *v)
{
  char c;

  if (sc->p >= sc->end)
    return false;
  c = *sc->p;
  if ('"' == c) {
    v->type = JSON_STRING;
    return sc_string(sc, &v->s, &v->n);
  }
  if ('n' == c) {
    if (sc->end - sc->p < 4 || 0 != memcmp(sc->p, "null", 4))
      return false;
    sc->p += 4;
    v->type = JSON_NULL;
  } else if ('t' == c || 'f' == c) {
    size_t len = 't' == c ? 4 : 5;

    if ((size_t) (sc->end - sc->p) < len || 0 != memcmp(sc->p, 't' == c ? "true" : "false", len))
      return false;
    sc->p += len;
    v->type = 't' == c ? JSON_TRUE : JSON_FALSE;
  } else if ('-' == c || (c >= '0' && c <= '9')) {
    bool neg = '-' == c;
    const char *digits = sc->p + neg;
    const char *d = digits;
    int64_t i = 0;

    /* 18 digits always fit in int64_t; longer numbers are left to jansson,
     * so they are only skipped here, never accumulated */
    for (; d < sc->end && *d >= '0' && *d <= '9'; d++)
      if (d - digits < 18)
        i = i * 10 + (*d - '0');
    /* JSON: no leading zero; no fraction or exponent here (jansson makes a real) */
    if (d == digits || d - digits > 18 || ('0' == *digits && d - digits > 1))
      return false;
    if (d < sc->end && ('.' == *d || 'e' == *d || 'E' == *d))
      return false;
    sc->p = (char *) d;
    v->type = JSON_INTEGER;
    v->i = neg ? -i : i;
  } else {
    return false;
  }
  /* what follows a value: white space, then ',' or '}' */
  sc_ws(sc);
  return sc->p < sc->end && (',' == *sc->p || '}' == *sc->p);
}

/* The members of one object, from just after its '{' to just after its
 * '}'. @a top: the item itself (else its "source"). */
static bool
sc_object(struct shortcut *sc, bool top)
{
  static const char *const source_keys[] = { "id", "section", "slug", "title" };
  unsigned seen = 0;

  sc_ws(sc);
  if (sc->p < sc->end && '}' == *sc->p) {
    sc->p++;
    return true;
  }
  for (;;) {
    struct shortcut_member *m;
    unsigned bit = 0;

    if (sc->n == SHORTCUT_MAX_MEMBERS)
      return false;
    m = &sc->m[sc->n++];
    if (!sc_string(sc, &m->key, &m->key_len))
      return false;
    m->c = NULL;
    if (top) {
      m->c = find_column(m->key, m->key_len, false);
      if (NULL != m->c)
        bit = 1u << (m->c - column_names);
    } else {
      for (unsigned k = 0; k < 4 && 0 == bit; k++)
        if (strlen(source_keys[k]) == m->key_len
            && 0 == memcmp(source_keys[k], m->key, m->key_len))
          bit = 1u << k;
    }
    /* unknown and repeated members are jansson's to report */
    if (0 == bit || 0 != (seen & bit))
      return false;
    seen |= bit;
    sc_ws(sc);
    if (sc->p >= sc->end || ':' != *sc->p++)
      return false;
    sc_ws(sc);
    if (top && COL_SOURCE == m->c->col && sc->p < sc->end && '{' == *sc->p) {
      sc->p++;
      m->v.type = JSON_OBJECT;
      if (!sc_object(sc, false))
        return false;
      sc_ws(sc);
    } else if (!sc_value(sc, &m->v)) {
      return false;
    }
    if (sc->p >= sc->end)
      return false;
    if ('}' == *sc->p) {
      sc->p++;
      return true;
    }
    if (',' != *sc->p++)
      return false;
    sc_ws(sc);
  }
}

/* Reads @a line (@a n bytes, writable) through the shortcut. */
bool
ndjson_shortcut(struct row_build *rb, char *line, size_t n)
{
  struct shortcut sc = { .p = line, .end = line + n };

  sc_ws(&sc);
  if (sc.p >= sc.end || '{' != *sc.p++ || !sc_object(&sc, true))
    return false;
  sc_ws(&sc);
  if (sc.p != sc.end)
    return false;
  /* accepted: each string ends where its closing quote is */
  for (size_t i = 0; i < sc.n; i++)
    if (JSON_STRING == sc.m[i].v.type)
      line[sc.m[i].v.s - line + (ptrdiff_t) sc.m[i].v.n] = '\0';
  for (size_t i = 0; i < sc.n; i++) {
    const struct shortcut_member *m = &sc.m[i];

    if (NULL != m->c)
      ndjson_member(rb, m->c, &m->v);
    else
      source_member(rb, m->key, m->key_len, &m->v);
  }
  return true;
}

