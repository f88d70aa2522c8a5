/* NDEF on NTAG21x badges: parse what a badge holds, build what badge-write stores.
 *
 * Pure code over byte buffers (no libnfc), so it is unit-tested and fuzzed on its own. Every
 * length is checked against the buffer; anything malformed is reported, never trusted.
 */
#ifndef KITH_NDEF_H
#define KITH_NDEF_H

#include <stddef.h>
#include <stdint.h>

#define NDEF_ID_MAX 64 /* longest attendee id we accept from a badge (bytes, UTF-8) */

enum ndef_result {
	NDEF_OK = 0,          /* attendee id found */
	NDEF_EMPTY = 1,       /* valid tag, no NDEF message or no usable record: UID-only badge */
	NDEF_EMALFORMED = -1, /* lengths or structure are wrong: UID-only badge + a log line */
	NDEF_ETRUNCATED = -2, /* the message runs past the bytes given: read more pages */
};

/* Parses NTAG user memory starting at page 4 (after the capability container; the CC itself,
 * page 3, is checked by ndef_cc_valid). Finds the NDEF TLV (short or 3-byte length), walks the
 * records and takes the attendee id from the first Text record that holds one, wherever it is
 * in the message, else from the last path segment of the first URI record. On NDEF_OK, id holds a NUL-terminated UTF-8 id.
 * why (may be NULL) gets a short reason for EMALFORMED/EMPTY. */
int ndef_parse_attendee(const uint8_t *buf, size_t len, char id[NDEF_ID_MAX], const char **why);

/* 1 if the 4-byte capability container (page 3) announces NDEF (E1, version 1.x, readable). */
int ndef_cc_valid(const uint8_t cc[4]);

/* How many bytes of user memory hold the NDEF TLV that starts the buffer, given its first
 * bytes (at least 4). Lets the reader read only the pages it needs. -1 if not NDEF.
 * If lock/memory-control TLVs push the NDEF TLV header past len, the answer is a lower bound
 * (more than len): read that much and ask again until the answer is <= the bytes read. */
int ndef_tlv_span(const uint8_t *buf, size_t len);

/* Builds user memory (from page 4) holding one NDEF Text record (language "en") with text,
 * followed by a terminator TLV. Returns the number of bytes written to out, or -1 if it
 * does not fit outsize. */
int ndef_build_text(const char *text, uint8_t *out, size_t outsize);

/* ---- The badge signature record (docs/THREAT-MODEL.md) --------------------------------------
 * A second record of our own NFC Forum external type "kith.app:sig" (TNF 4) whose payload is:
 * version (1), 4 bytes naming the conference (sign_conference_tag), the UID length (4, 7 or
 * 10) and the UID it was signed for, then the 64-byte Ed25519 signature of
 * sign_badge_message(conference id, attendee id, UID). The conference tag and the UID are
 * hints that let a refusal say why; only the signature over the real tag's UID is trusted. */
#define NDEF_SIG_TYPE "kith.app:sig"
#define NDEF_SIG_VERSION 1
#define NDEF_SIG_BYTES 64

typedef struct ndef_badge_sig {
	uint8_t conf_tag[4];
	uint8_t uid[10];
	size_t uid_len;
	uint8_t sig[NDEF_SIG_BYTES];
} ndef_badge_sig;

/* Finds the first "kith.app:sig" record in the NDEF message. 1 found and well formed (out
 * filled), 0 none, NDEF_EMALFORMED (why says what; a malformed record is never a signature)
 * or NDEF_ETRUNCATED. */
int ndef_parse_signature(const uint8_t *buf, size_t len, ndef_badge_sig *out, const char **why);

/* Like ndef_build_text, plus (sig not NULL) the signature record after the Text record. */
int ndef_build_badge(const char *text, const ndef_badge_sig *sig, uint8_t *out, size_t outsize);

#endif
