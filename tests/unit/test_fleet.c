/* Unit tests for common/fleet: the fleet file refused whole for each named fault, accepted
 * and formatted back to the same bytes when right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/fleet.h"
#include "common/util.h"

/* Two real device IDs made by `syncthing generate` (and one for the organiser). */
#define DEV_A "MREXRBL-Z54Q5N7-UAOFPYU-NGREGP6-ATDZ66I-2ZEE2W3-22IVQWH-W2J6VQI"
#define DEV_B "BXKKIWK-ZNPBE5P-NKFPDU2-PYQHVDK-BSECNEI-W2P2YI5-VOLD2JU-42267AZ"
#define DEV_O "TOEJXCY-QQUVNA7-KVEAHN6-WVZYJ5M-UDCSKHG-OJ5BWY3-EROP752-XMEURA7"

static const char good[] =
	"{\n  \"kith_fleet\": 1,\n  \"fleet_version\": 3,\n  \"kiosks\": [\n"
	"    {\"kiosk_id\": \"hall-a\", \"device_id\": \"" DEV_A "\", \"location\": "
	"\"Hall A \\\"east\\\", Zoë\", \"addresses\": [\"tcp://169.254.10.1:22000\"]},\n"
	"    {\"kiosk_id\": \"hall-b\", \"device_id\": \"" DEV_B "\", \"location\": \"Hall B\"}\n"
	"  ],\n  \"organiser\": {\"name\": \"laptop\", \"device_id\": \"" DEV_O "\"}\n}\n";

/* Parses text as kiosk self; returns the error text (static) or NULL when accepted. */
static const char *refusal(const char *text, const char *self)
{
	static char err[400];
	fleet *f = NULL;
	int rc = fleet_parse(text, strlen(text), self, &f, err, sizeof(err));
	fleet_free(f);
	return rc == 0 ? NULL : err;
}

/* good with the first occurrence of from replaced by to. */
static char *with(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	char *out;
	assert_non_null(at);
	out = xcalloc(1, sizeof(good) + strlen(to));
	memcpy(out, good, (size_t)(at - good));
	strcat(out, to);
	strcat(out, at + strlen(from));
	return out;
}

static void expect_refused(const char *from, const char *to, const char *self,
			   const char *words)
{
	char *t = with(from, to);
	const char *why = refusal(t, self);
	assert_non_null(why);
	if (strstr(why, words) == NULL)
		fail_msg("'%s' does not say '%s'", why, words);
	free(t);
}

static void test_good_parses_and_formats_to_the_same_bytes(void **state)
{
	char err[400];
	fleet *f = NULL;
	char *text;
	(void)state;
	assert_int_equal(fleet_parse(good, strlen(good), "hall-b", &f, err, sizeof(err)), 0);
	assert_int_equal(f->version, 3);
	assert_int_equal(f->n_kiosks, 2);
	assert_string_equal(fleet_find(f, "hall-a")->device_id, DEV_A);
	assert_string_equal(fleet_find(f, "hall-a")->addresses[0], "tcp://169.254.10.1:22000");
	assert_string_equal(f->organiser->id, "laptop");
	assert_null(fleet_find(f, "laptop"));
	text = fleet_format(f);
	assert_string_equal(text, good);
	free(text);
	fleet_free(f);
}

static void test_device_id_check(void **state)
{
	char canon[FLEET_DEVICE_ID_LEN + 1], err[200];
	(void)state;
	assert_int_equal(fleet_device_id_check("mrexrblz54q5n7uaofpyungregp6atdz66i2zee2w322ivqwhw2j6vqi",
					       canon, sizeof(canon), err, sizeof(err)), 0);
	assert_string_equal(canon, DEV_A);
	/* One character changed: the check character catches it. */
	assert_int_equal(fleet_device_id_check("MREXRBL-Z54Q5N7-UAOFPYU-NGREGP6-ATDZ66I-2ZEE2W3-"
					       "22IVQWH-W2J6VQJ", canon, sizeof(canon), err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "check character 4"));
	assert_int_equal(fleet_device_id_check("MREXRBL-Z54Q5N7-UAOFPYU", canon, sizeof(canon), err,
					       sizeof(err)), -1);
	assert_int_equal(fleet_device_id_check("MREXRBL-Z54Q5N7-UAOFPYU-NGREGP6-ATDZ66I-2ZEE2W3-"
					       "22IVQWH-W2J6VQ1", canon, sizeof(canon), err,
					       sizeof(err)), -1);
}

static void test_each_fault_is_named(void **state)
{
	(void)state;
	expect_refused("hall-b", "hall-a", NULL, "kiosk id 'hall-a' is listed twice");
	expect_refused(DEV_B, DEV_A, NULL, "have the same device ID");
	expect_refused(DEV_O, DEV_B, NULL, "the organiser have the same device ID");
	expect_refused("W2J6VQI", "W2J6VQA", NULL, "not a Syncthing device ID");
	expect_refused("\"hall-b\"", "\"../b\"", NULL, "not allowed");
	expect_refused("tcp://169.254.10.1:22000", "http://x:80", NULL, "is not tcp://");
	expect_refused("\"location\": \"Hall B\"", "\"locaton\": \"Hall B\"", NULL, "unknown field \"locaton\"");
	expect_refused("\"kith_fleet\": 1", "\"kith_flet\": 1", NULL, "not a Kith fleet file");
	expect_refused("\"fleet_version\": 3", "\"fleet_version\": 0", NULL, "fleet_version");
	expect_refused("\n}\n", "\n}\n{}", NULL, "not valid JSON");
	expect_refused("\"kiosks\": [", "\"kiosks\": [,", NULL, "not valid JSON");
	expect_refused("hall-b", "hall-b", "hall-c", "does not list this kiosk ('hall-c')");
	expect_refused("Hall B", "Hall\\u0001B", NULL, "control character");
}

/* hall-a's certificate, made by `syncthing generate`: its device ID is DEV_A. */
static const char cert_a[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICHTCCAaOgAwIBAgIJAK253PYcTZ/wMAoGCCqGSM49BAMCMEoxEjAQBgNVBAoT\n"
	"CVN5bmN0aGluZzEgMB4GA1UECxMXQXV0b21hdGljYWxseSBHZW5lcmF0ZWQxEjAQ\n"
	"BgNVBAMTCXN5bmN0aGluZzAeFw0yNjEyMDEwMDAwMDBaFw00NjExMjYwMDAwMDBa\n"
	"MEoxEjAQBgNVBAoTCVN5bmN0aGluZzEgMB4GA1UECxMXQXV0b21hdGljYWxseSBH\n"
	"ZW5lcmF0ZWQxEjAQBgNVBAMTCXN5bmN0aGluZzB2MBAGByqGSM49AgEGBSuBBAAi\n"
	"A2IABJZKrmGzB35FSuGOCDICnUuPAJLBxZRCEcSBiQI2A6j57bJn0URmMeo3r9cF\n"
	"lsUpByWXlIOCgAbtrNLIddI/1MM6GOZbnqaDcE0NsArmZfw2/hrkIJ17pyRiS2Ep\n"
	"KT1m/aNVMFMwDgYDVR0PAQH/BAQDAgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggr\n"
	"BgEFBQcDAjAMBgNVHRMBAf8EAjAAMBQGA1UdEQQNMAuCCXN5bmN0aGluZzAKBggq\n"
	"hkjOPQQDAgNoADBlAjEAqgtEdWXgmtYm4G+QJzqSpUqqgKRZ/Z5F8OqjI/LgKtQb\n"
	"cA4mrgwm1IxP+mrsaha0AjAG85P36dHyDbIg3P1/Eg6sHyHkD/E6ObNekI1ymXo7\n"
	"cNPE43xasA/OpzVoNi/036M=\n"
	"-----END CERTIFICATE-----\n";

static void test_device_id_of_cert(void **state)
{
	char canon[FLEET_DEVICE_ID_LEN + 1], err[200], *bad = xstrdup(cert_a);
	(void)state;
	assert_int_equal(fleet_device_id_of_cert(cert_a, strlen(cert_a), canon, sizeof(canon), err,
						 sizeof(err)), 0);
	assert_string_equal(canon, DEV_A);
	bad[100] = bad[100] == 'A' ? 'B' : 'A'; /* another certificate: another ID */
	assert_int_equal(fleet_device_id_of_cert(bad, strlen(bad), canon, sizeof(canon), err,
						 sizeof(err)), 0);
	assert_string_not_equal(canon, DEV_A);
	assert_int_equal(fleet_device_id_of_cert("hello", 5, canon, sizeof(canon), err,
						 sizeof(err)), -1);
	free(bad);
}

static void test_no_kiosks_and_garbage(void **state)
{
	(void)state;
	assert_non_null(refusal("", NULL));
	assert_non_null(refusal("[]", NULL));
	assert_non_null(refusal("{\"kith_fleet\": 1, \"fleet_version\": 1, \"kiosks\": []}", NULL));
	assert_non_null(refusal("{\"kith_fleet\": 1, \"fleet_version\": 1, \"kiosks\": [[[[[[[[[[[]]]]]]]]]]]}", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_parses_and_formats_to_the_same_bytes),
		cmocka_unit_test(test_device_id_check),
		cmocka_unit_test(test_each_fault_is_named),
		cmocka_unit_test(test_device_id_of_cert),
		cmocka_unit_test(test_no_kiosks_and_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
