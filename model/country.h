/**
 * @file model/country.h
 * @brief Where a salary report is from: an ISO 3166-1 alpha-2 country,
 *        optionally with its ISO 3166-2 subdivision ("GB", "US-WA").
 *
 * The country must be one of the 249 codes ISO 3166-1 has assigned; of the
 * subdivision only the form is checked (1 to 3 upper-case letters or
 * digits, as every ISO 3166-2 code has), since the full list of about
 * 5,000 codes changes every year and would be most of the binary's data.
 */
#ifndef TECHPAY_MODEL_COUNTRY_H
#define TECHPAY_MODEL_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>

/** The longest location: "US" "-" and three characters. */
#define MODEL_LOCATION_MAX 6

/** Whether the two bytes at @a cc are an assigned ISO 3166-1 alpha-2 code. */
bool country_assigned(const char *cc);

/** How a location's text stands. */
enum location_verdict {
  LOCATION_OK,
  LOCATION_BAD_FORM,     /* not CC or CC-SUB in upper case */
  LOCATION_NO_COUNTRY,   /* the form is right, the country is not assigned */
};

/** Judges the @a n bytes at @a s as a location. */
enum location_verdict location_check(const char *s, size_t n);

#endif
