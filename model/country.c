/**
 * @file model/country.c
 * @brief The assigned ISO 3166-1 alpha-2 codes, and the form of a
 *        location (see model/country.h).
 */
#include "model/country.h"

#include <string.h>

/* The 249 codes assigned by ISO 3166-1 (as of the 2024 list, the same as
 * Debian's iso-codes), in order, two letters each, one line per letter. */
static const char assigned[] =
  "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
  "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
  "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
  "DEDJDKDMDODZ"
  "ECEEEGEHERESET"
  "FIFJFKFMFOFR"
  "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
  "HKHMHNHRHTHU"
  "IDIEILIMINIOIQIRISIT"
  "JEJMJOJP"
  "KEKGKHKIKMKNKPKRKWKYKZ"
  "LALBLCLILKLRLSLTLULVLY"
  "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
  "NANCNENFNGNINLNONPNRNUNZ"
  "OM"
  "PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
  "QA"
  "RERORSRURW"
  "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
  "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
  "UAUGUMUSUYUZ"
  "VAVCVEVGVIVNVU"
  "WFWS"
  "YEYT"
  "ZAZMZW";

bool
country_assigned(const char *cc)
{
  size_t lo = 0;
  size_t hi = (sizeof assigned - 1) / 2;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = memcmp(cc, assigned + 2 * mid, 2);

    if (0 == cmp)
      return true;
    if (cmp < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return false;
}

static bool
upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

enum location_verdict
location_check(const char *s, size_t n)
{
  if (n < 2 || n > MODEL_LOCATION_MAX || !upper(s[0]) || !upper(s[1]) || 3 == n)
    return LOCATION_BAD_FORM;
  if (n > 2 && '-' != s[2])
    return LOCATION_BAD_FORM;
  for (size_t i = 3; i < n; i++)
    if (!upper(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
      return LOCATION_BAD_FORM;
  return country_assigned(s) ? LOCATION_OK : LOCATION_NO_COUNTRY;
}
