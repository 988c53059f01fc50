/**
 * @file util/embed.c
 * @brief Build-time tool: turns files into C arrays, so that techpayd
 *        carries its schema, its OpenAPI document and its web page and
 *        needs no files at run time.
 *
 * Usage:
 *   embed migrations OUTPUT.c FILE.sql...
 *     defines the migrations[] table of db/migrations.h from
 *     migrations/NNNN_name.sql, each with its checksum; fails on a
 *     misnamed file or a gap in the numbering.
 *   embed files SYMBOL OUTPUT.c OUTPUT.h INPUT...
 *     OUTPUT.h declares
 *       extern const struct embedded_file SYMBOL[];  (one per INPUT, in order)
 *       extern const size_t SYMBOL_count;
 *       const struct embedded_file *SYMBOL_find(const char *name);
 *     where each file is known by its base name, and OUTPUT.c defines them;
 *     fails on two inputs with the same base name, a name that is not
 *     plain, or a SYMBOL that is not a C identifier.
 * Either fails on an empty input or one that contains NUL.
 *
 * It runs on the build machine (a native executable), so it links
 * nothing of the project: it lives in util/, the layer that uses nothing
 * of ours, because migrations, docs and web all use it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

/* Must stay the checksum db/migrate.c compares an applied migration's
 * record against: FNV-1a, 64 bits, over the file's bytes. */
static uint64_t
fnv1a64(const unsigned char *p, size_t n)
{
  return hash_bytes(HASH_INIT, p, n);
}

static unsigned char *
slurp(FILE *f, size_t *len)
{
  unsigned char *buf = NULL;
  size_t cap = 0;
  size_t n = 0;

  for (;;) {
    if (n == cap) {
      unsigned char *grown;

      cap = cap ? cap * 2 : 65536;
      grown = realloc(buf, cap);
      if (NULL == grown) {
        free(buf);
        return NULL;
      }
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* The file's bytes, or NULL (with a message) when it is unreadable, empty
 * or holds a NUL: what is embedded is text, read back as C strings. */
static unsigned char *
read_input(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;

  if (NULL != f) {
    data = slurp(f, len);
    fclose(f);
  }
  if (NULL == data || 0 == *len || NULL != memchr(data, '\0', *len)) {
    fprintf(stderr, "embed: %s: unreadable, empty or contains NUL\n", path);
    free(data);
    return NULL;
  }
  return data;
}

/* "static const TYPE NAME[] = { ...bytes..., 0 };", twenty bytes a line. */
static void
write_bytes(FILE *out, const char *type, const char *name, const unsigned char *data,
            size_t len)
{
  fprintf(out, "static const %s %s[] = {", type, name);
  for (size_t j = 0; j < len; j++)
    fprintf(out, "%s%u,", (j % 20) ? "" : "\n  ", data[j]);
  fprintf(out, "\n  0 };\n");
}

static int
finish(FILE *f, const char *path)
{
  if (0 != fclose(f)) {
    perror(path);
    return 1;
  }
  return 0;
}

static const char *
base_name(const char *path)
{
  const char *slash = strrchr(path, '/');

  return slash ? slash + 1 : path;
}

/* Splits ".../0002_seed.sql" into 2 and "seed". */
static int
parse_migration_name(const char *path, unsigned *version, char *name, size_t name_size)
{
  const char *base = base_name(path);
  size_t len = strlen(base);

  if (len < 10 || 0 != strcmp(base + len - 4, ".sql") || '_' != base[4])
    return -1;
  for (int i = 0; i < 4; i++)
    if (!isdigit((unsigned char) base[i]))
      return -1;
  *version = (unsigned) atoi(base);
  len -= 9; /* "NNNN_" and ".sql" */
  if (len == 0 || len >= name_size)
    return -1;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char) base[5 + i];
    if (!(islower(c) || isdigit(c) || c == '_'))
      return -1;
  }
  memcpy(name, base + 5, len);
  name[len] = '\0';
  return 0;
}

/* Writes migration number @a version (the @a path it must come from). */
static int
write_migration(FILE *out, const char *path, unsigned version)
{
  unsigned parsed;
  char name[64];
  char symbol[16];
  size_t len = 0;
  unsigned char *sql;

  if (0 != parse_migration_name(path, &parsed, name, sizeof name)) {
    fprintf(stderr, "embed: %s: name must be NNNN_lowercase_name.sql\n", path);
    return 1;
  }
  if (parsed != version) {
    fprintf(stderr, "embed: %s: expected migration %u here (no gaps, in order)\n", path,
            version);
    return 1;
  }
  sql = read_input(path, &len);
  if (NULL == sql)
    return 1;
  snprintf(symbol, sizeof symbol, "sql_%04u", version);
  write_bytes(out, "char", symbol, sql, len);
  fprintf(out, "static const char name_%04u[] = \"%s\";\n", version, name);
  fprintf(out, "static const char sum_%04u[] = \"fnv1a64:%016" PRIx64 "\";\n\n",
          version, fnv1a64(sql, len));
  free(sql);
  return 0;
}

static int
embed_migrations(const char *output, char *const paths[], int n)
{
  FILE *out = fopen(output, "w");

  if (NULL == out) {
    perror(output);
    return 1;
  }
  fprintf(out, "/* Generated by util/embed.c from migrations/; do not edit. */\n"
               "#include \"db/migrations.h\"\n\n");
  for (int i = 0; i < n; i++)
    if (0 != write_migration(out, paths[i], (unsigned) i + 1)) {
      fclose(out);
      return 1;
    }
  fprintf(out, "const struct migration migrations[] = {\n");
  for (int i = 1; i <= n; i++)
    fprintf(out, "  { %d, name_%04d, sql_%04d, sum_%04d },\n", i, i, i, i);
  fprintf(out, "};\nconst size_t migrations_count = %d;\n", n);
  return finish(out, output);
}

static int
is_identifier(const char *s)
{
  if (!(isalpha((unsigned char) s[0]) || '_' == s[0]))
    return 0;
  for (const char *p = s; '\0' != *p; p++)
    if (!(isalnum((unsigned char) *p) || '_' == *p))
      return 0;
  return strlen(s) < 64;
}

/* A base name goes into a C string literal and a URL: keep it plain. */
static int
is_plain_name(const char *s)
{
  if ('\0' == s[0] || '.' == s[0])
    return 0;
  for (const char *p = s; '\0' != *p; p++)
    if (!(isalnum((unsigned char) *p) || NULL != strchr("._-", *p)))
      return 0;
  return 1;
}

/* Each file is found by its base name: each must be plain and unique. */
static int
check_file_names(char *const paths[], int n)
{
  for (int i = 0; i < n; i++) {
    const char *name = base_name(paths[i]);

    if (!is_plain_name(name)) {
      fprintf(stderr, "embed: %s: names are letters, digits, '.', '_' and '-'\n", paths[i]);
      return 1;
    }
    for (int j = 0; j < i; j++)
      if (0 == strcmp(name, base_name(paths[j]))) {
        fprintf(stderr, "embed: %s: a second file called %s\n", paths[i], name);
        return 1;
      }
  }
  return 0;
}

static int
write_files_header(const char *path, const char *sym)
{
  FILE *h = fopen(path, "w");

  if (NULL == h) {
    perror(path);
    return 1;
  }
  fprintf(h, "/* Generated by util/embed.c; do not edit. */\n"
             "#ifndef EMBED_%s_H\n#define EMBED_%s_H\n\n#include <stddef.h>\n\n"
             "#ifndef EMBED_FILE_STRUCT\n#define EMBED_FILE_STRUCT\n"
             "struct embedded_file {\n"
             "  const char *name;           /* the file's base name, e.g. \"app.js\" */\n"
             "  const unsigned char *bytes; /* its bytes, followed by a NUL */\n"
             "  size_t len;                 /* their number, without the NUL */\n"
             "};\n#endif\n\n"
             "/* The embedded files, in the order they were given. */\n"
             "extern const struct embedded_file %s[];\n"
             "extern const size_t %s_count;\n\n"
             "/* The file called @a name, or NULL. */\n"
             "const struct embedded_file *%s_find(const char *name);\n\n#endif\n",
          sym, sym, sym, sym, sym);
  return finish(h, path);
}

/* Writes file number @a i as a byte array and its length. */
static int
write_file(FILE *c, const char *path, int i)
{
  size_t len = 0;
  unsigned char *data = read_input(path, &len);
  char symbol[32];

  if (NULL == data)
    return 1;
  snprintf(symbol, sizeof symbol, "file_%d", i);
  write_bytes(c, "unsigned char", symbol, data, len);
  fprintf(c, "static const size_t file_%d_len = %zu;\n\n", i, len);
  free(data);
  return 0;
}

/* The table of the files and the function that finds one by name. */
static void
write_files_table(FILE *c, const char *sym, char *const paths[], int n)
{
  fprintf(c, "const struct embedded_file %s[] = {\n", sym);
  for (int i = 0; i < n; i++)
    fprintf(c, "  { \"%s\", file_%d, file_%d_len },\n", base_name(paths[i]), i, i);
  fprintf(c, "};\nconst size_t %s_count = %d;\n\n"
             "const struct embedded_file *\n%s_find(const char *name)\n{\n"
             "  for (size_t i = 0; i < %s_count; i++)\n"
             "    if (0 == strcmp(%s[i].name, name))\n"
             "      return &%s[i];\n"
             "  return NULL;\n}\n",
          sym, n, sym, sym, sym, sym);
}

static int
embed_files(const char *sym, const char *output_c, const char *output_h, char *const paths[],
            int n)
{
  FILE *c;

  if (!is_identifier(sym)) {
    fprintf(stderr, "embed: '%s' is not a C identifier\n", sym);
    return 2;
  }
  if (0 != check_file_names(paths, n) || 0 != write_files_header(output_h, sym))
    return 1;
  c = fopen(output_c, "w");
  if (NULL == c) {
    perror(output_c);
    return 1;
  }
  fprintf(c, "/* Generated by util/embed.c; do not edit. */\n"
             "#include \"%s\"\n\n#include <string.h>\n\n", base_name(output_h));
  for (int i = 0; i < n; i++)
    if (0 != write_file(c, paths[i], i)) {
      fclose(c);
      return 1;
    }
  write_files_table(c, sym, paths, n);
  return finish(c, output_c);
}

int
main(int argc, char **argv)
{
  if (argc >= 4 && 0 == strcmp(argv[1], "migrations"))
    return embed_migrations(argv[2], argv + 3, argc - 3);
  if (argc >= 6 && 0 == strcmp(argv[1], "files"))
    return embed_files(argv[2], argv[3], argv[4], argv + 5, argc - 5);
  fprintf(stderr, "usage: %s migrations OUTPUT.c FILE.sql...\n"
                  "       %s files SYMBOL OUTPUT.c OUTPUT.h INPUT...\n", argv[0], argv[0]);
  return 2;
}
