/* NDEF on NTAG21x badges: the TLV walk, the record walk and the Text/URI decoders.
 *
 * Everything here reads bytes that came off a card somebody handed us, so every step checks
 * what it is about to read against the end of the buffer first. Start at ndef_parse_attendee:
 * it finds the NDEF TLV (tlv_find), walks the records (record_next) and takes the attendee id
 * from the first Text record that holds one (text_decode), else from the first URI record
 * (uri_decode), whatever order they come in. ndef_build_text
 * is the inverse used by badge-write and pn532-sim.
 */
#include "nfc/ndef.h"

#include <stdint.h>
#include <string.h>

#include "common/utf8.h"
#include "common/util.h"

#define TLV_NULL 0x00
#define TLV_LOCK 0x01
#define TLV_MEMCTL 0x02
#define TLV_NDEF 0x03
#define TLV_PROPRIETARY 0xFD
#define TLV_TERMINATOR 0xFE

#define REC_MB 0x80
#define REC_ME 0x40
#define REC_CF 0x20
#define REC_SR 0x10
#define REC_IL 0x08
#define REC_TNF 0x07

#define TNF_EMPTY 0x00
#define TNF_WELL_KNOWN 0x01
#define TNF_EXTERNAL 0x04
#define TNF_UNKNOWN 0x05
#define TNF_UNCHANGED 0x06
#define TNF_RESERVED 0x07

#define MAX_RECORDS 64 /* a badge has one or two; bounds the walk on crafted input */

typedef struct tlv {
	size_t offset; /* where the TLV's value starts in the buffer */
	size_t length; /* value length as announced (may exceed the buffer) */
	size_t end;    /* offset + length */
} tlv;

typedef struct record {
	uint8_t header;       /* MB ME CF SR IL TNF */
	const uint8_t *type;  /* type field, type_len bytes */
	size_t type_len;
	const uint8_t *payload;
	size_t payload_len;
} record;

static void set_why(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
}

/* Reads a TLV length at buf[*pos] (1 byte, or 0xFF + 2 bytes big-endian). 0, or -1 if the
 * length bytes themselves are missing. */
static int tlv_length(const uint8_t *buf, size_t len, size_t *pos, size_t *out)
{
	if (*pos >= len)
		return -1;
	if (buf[*pos] != 0xFF) {
		*out = buf[*pos];
		*pos += 1;
		return 0;
	}
	if (len - *pos < 3)
		return -1;
	*out = ((size_t)buf[*pos + 1] << 8) | buf[*pos + 2];
	*pos += 3;
	return 0;
}

/* Finds the first NDEF TLV. Returns NDEF_OK, NDEF_EMPTY (terminator or end of memory first),
 * NDEF_ETRUNCATED (a TLV header is cut by the end of the buffer; *need says how many bytes
 * would let the walk go on) or NDEF_EMALFORMED. */
static int tlv_find(const uint8_t *buf, size_t len, tlv *out, size_t *need, const char **why)
{
	size_t pos = 0;

	*need = 0;
	while (pos < len) {
		uint8_t t = buf[pos];
		size_t start = pos, vlen;

		if (t == TLV_NULL) {
			pos++;
			continue;
		}
		if (t == TLV_TERMINATOR) {
			set_why(why, "terminator TLV before any NDEF message");
			return NDEF_EMPTY;
		}
		pos++;
		if (tlv_length(buf, len, &pos, &vlen) < 0) {
			*need = start + 4;
			set_why(why, "TLV header runs past the bytes read");
			return NDEF_ETRUNCATED;
		}
		if (t == TLV_NDEF) {
			out->offset = pos;
			out->length = vlen;
			out->end = pos + vlen;
			return NDEF_OK;
		}
		if (t != TLV_LOCK && t != TLV_MEMCTL && t != TLV_PROPRIETARY) {
			set_why(why, "unknown TLV type before the NDEF message");
			return NDEF_EMALFORMED;
		}
		if (vlen > len - pos) {
			*need = pos + vlen + 4;
			set_why(why, "TLV runs past the bytes read");
			return NDEF_ETRUNCATED;
		}
		pos += vlen;
	}
	*need = len + 4;
	set_why(why, "no NDEF TLV in the bytes read");
	return NDEF_ETRUNCATED;
}

int ndef_tlv_span(const uint8_t *buf, size_t len)
{
	tlv t;
	size_t need;
	int rc = tlv_find(buf, len, &t, &need, NULL);

	if (rc == NDEF_OK)
		return t.end > (size_t)INT32_MAX ? -1 : (int)t.end;
	if (rc == NDEF_ETRUNCATED)
		return need > (size_t)INT32_MAX ? -1 : (int)need;
	return -1;
}

int ndef_cc_valid(const uint8_t cc[4])
{
	return cc[0] == 0xE1 && (cc[1] >> 4) == 1 && (cc[3] >> 4) == 0;
}

/* Parses the record at msg[*pos]. 0 on success, NDEF_EMALFORMED with why otherwise. */
static int record_next(const uint8_t *msg, size_t len, size_t *pos, record *r, const char **why)
{
	size_t p = *pos, type_len, payload_len, id_len = 0;

	if (len - p < 3) {
		set_why(why, "record header runs past the message");
		return NDEF_EMALFORMED;
	}
	r->header = msg[p++];
	type_len = msg[p++];
	if (r->header & REC_SR) {
		payload_len = msg[p++];
	} else {
		if (len - p < 4) {
			set_why(why, "record payload length runs past the message");
			return NDEF_EMALFORMED;
		}
		payload_len = ((size_t)msg[p] << 24) | ((size_t)msg[p + 1] << 16) |
			((size_t)msg[p + 2] << 8) | msg[p + 3];
		p += 4;
	}
	if (r->header & REC_IL) {
		if (p >= len) {
			set_why(why, "record id length runs past the message");
			return NDEF_EMALFORMED;
		}
		id_len = msg[p++];
	}
	if (r->header & REC_CF) {
		set_why(why, "chunked records are not supported");
		return NDEF_EMALFORMED;
	}
	switch (r->header & REC_TNF) {
	case TNF_EMPTY:
		if (type_len != 0 || payload_len != 0 || id_len != 0) {
			set_why(why, "empty record with a type, id or payload");
			return NDEF_EMALFORMED;
		}
		break;
	case TNF_UNKNOWN:
		if (type_len != 0) {
			set_why(why, "unknown-type record with a type");
			return NDEF_EMALFORMED;
		}
		break;
	case TNF_UNCHANGED:
		set_why(why, "unchanged TNF outside a chunk");
		return NDEF_EMALFORMED;
	case TNF_RESERVED:
		set_why(why, "reserved TNF");
		return NDEF_EMALFORMED;
	default:
		if (type_len == 0) {
			set_why(why, "zero-length type");
			return NDEF_EMALFORMED;
		}
	}
	/* Each field is checked against what is left, so no sum can overflow. */
	if (type_len > len - p) {
		set_why(why, "record type runs past the message");
		return NDEF_EMALFORMED;
	}
	r->type = msg + p;
	r->type_len = type_len;
	p += type_len;
	if (id_len > len - p) {
		set_why(why, "record id runs past the message");
		return NDEF_EMALFORMED;
	}
	p += id_len;
	if (payload_len > len - p) {
		set_why(why, "record payload runs past the message");
		return NDEF_EMALFORMED;
	}
	r->payload = msg + p;
	r->payload_len = payload_len;
	*pos = p + payload_len;
	return 0;
}

/* Accepts an id: valid UTF-8, no control characters, short enough. */
static int id_store(const uint8_t *s, size_t n, char id[NDEF_ID_MAX], const char **why)
{
	if (n == 0) {
		set_why(why, "empty attendee id");
		return NDEF_EMPTY;
	}
	if (n >= NDEF_ID_MAX) {
		set_why(why, "attendee id longer than 63 bytes");
		return NDEF_EMALFORMED;
	}
	if (!utf8_valid((const char *)s, n)) {
		set_why(why, "attendee id is not valid UTF-8");
		return NDEF_EMALFORMED;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7F) {
			set_why(why, "attendee id contains a control character");
			return NDEF_EMALFORMED;
		}
	}
	memcpy(id, s, n);
	id[n] = '\0';
	return NDEF_OK;
}

/* UTF-16 text (BOM-aware, big-endian by default as the NFC Forum RTD says) to UTF-8. */
static int utf16_to_id(const uint8_t *s, size_t n, char id[NDEF_ID_MAX], const char **why)
{
	uint8_t out[NDEF_ID_MAX];
	size_t o = 0, i = 0;
	int big = 1;

	if (n % 2 != 0) {
		set_why(why, "UTF-16 text with an odd byte count");
		return NDEF_EMALFORMED;
	}
	if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		big = 0;
		i = 2;
	} else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		i = 2;
	}
	while (i < n) {
		uint32_t u = big ? ((uint32_t)s[i] << 8 | s[i + 1]) : ((uint32_t)s[i + 1] << 8 | s[i]);
		i += 2;
		if (u >= 0xDC00 && u <= 0xDFFF) {
			set_why(why, "UTF-16 text with a lone low surrogate");
			return NDEF_EMALFORMED;
		}
		if (u >= 0xD800 && u <= 0xDBFF) {
			uint32_t lo;
			if (i >= n) {
				set_why(why, "UTF-16 text with a lone high surrogate");
				return NDEF_EMALFORMED;
			}
			lo = big ? ((uint32_t)s[i] << 8 | s[i + 1]) : ((uint32_t)s[i + 1] << 8 | s[i]);
			i += 2;
			if (lo < 0xDC00 || lo > 0xDFFF) {
				set_why(why, "UTF-16 text with a broken surrogate pair");
				return NDEF_EMALFORMED;
			}
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		}
		char b[UTF8_MAX];
		size_t k = (size_t)utf8_encode(u, b);
		if (sizeof out - 1 - o < k) {
			set_why(why, "attendee id longer than 63 bytes");
			return NDEF_EMALFORMED;
		}
		memcpy(out + o, b, k);
		o += k;
	}
	return id_store(out, o, id, why);
}

static int text_decode(const record *r, char id[NDEF_ID_MAX], const char **why)
{
	uint8_t status;
	size_t lang_len;

	if (r->payload_len < 1) {
		set_why(why, "Text record without a status byte");
		return NDEF_EMALFORMED;
	}
	status = r->payload[0];
	lang_len = status & 0x3F;
	if (status & 0x40) {
		set_why(why, "Text record with the reserved status bit set");
		return NDEF_EMALFORMED;
	}
	if (lang_len > r->payload_len - 1) {
		set_why(why, "Text record language code runs past the payload");
		return NDEF_EMALFORMED;
	}
	if (status & 0x80)
		return utf16_to_id(r->payload + 1 + lang_len, r->payload_len - 1 - lang_len, id, why);
	return id_store(r->payload + 1 + lang_len, r->payload_len - 1 - lang_len, id, why);
}

/* The NFC Forum URI RTD abbreviations, indexed by the payload's first byte. */
static const char *const uri_prefixes[] = {
	"", "http://www.", "https://www.", "http://", "https://", "tel:", "mailto:",
	"ftp://anonymous:anonymous@", "ftp://ftp.", "ftps://", "sftp://", "smb://", "nfs://",
	"ftp://", "dav://", "news:", "telnet://", "imap:", "rtsp://", "urn:", "pop:", "sip:",
	"sips:", "tftp:", "btspp://", "btl2cap://", "btgoep://", "tcpobex://", "irdaobex://",
	"file://", "urn:epc:id:", "urn:epc:tag:", "urn:epc:pat:", "urn:epc:raw:", "urn:epc:",
	"urn:nfc:",
};

/* The attendee id of a URI is its last path segment: https://conf.example.org/a/A-0001 ->
 * A-0001 (query and fragment dropped, a trailing slash ignored). */
static int uri_decode(const record *r, char id[NDEF_ID_MAX], const char **why)
{
	const uint8_t *s, *end, *seg;
	const char *prefix;

	if (r->payload_len < 1) {
		set_why(why, "URI record without a prefix byte");
		return NDEF_EMALFORMED;
	}
	if (r->payload[0] >= ARRAY_LEN(uri_prefixes)) {
		set_why(why, "URI record with a reserved prefix code");
		return NDEF_EMALFORMED;
	}
	prefix = uri_prefixes[r->payload[0]];
	s = r->payload + 1;
	end = r->payload + r->payload_len;
	if (!utf8_valid((const char *)s, (size_t)(end - s))) {
		set_why(why, "URI is not valid UTF-8");
		return NDEF_EMALFORMED;
	}
	/* Without an abbreviation the scheme is in the text: skip "scheme://" ourselves. */
	if (strstr(prefix, "://") == NULL) {
		for (const uint8_t *p = s; p + 2 < end; p++) {
			if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
				s = p + 3;
				prefix = "://";
				break;
			}
		}
	}
	for (const uint8_t *p = s; p < end; p++) {
		if (*p == '?' || *p == '#') {
			end = p;
			break;
		}
	}
	while (end > s && end[-1] == '/')
		end--;
	/* With a scheme://host the host is not a path segment. */
	if (strstr(prefix, "://") != NULL) {
		const uint8_t *slash = memchr(s, '/', (size_t)(end - s));
		if (slash == NULL) {
			set_why(why, "URI has no path");
			return NDEF_EMPTY;
		}
	}
	seg = end;
	while (seg > s && seg[-1] != '/')
		seg--;
	return id_store(seg, (size_t)(end - seg), id, why);
}

/* The first Text record that holds an id wins, wherever it is: a badge may carry a URI
 * (the conference page) before it. A URI's last path segment is the fallback when no Text
 * record holds one; a record that does not decode is skipped but its reason is kept, so a
 * one-record badge reports exactly why it was not read. */
int ndef_parse_attendee(const uint8_t *buf, size_t len, char id[NDEF_ID_MAX], const char **why)
{
	tlv t;
	size_t need, pos = 0;
	const uint8_t *msg;
	char uri_id[NDEF_ID_MAX] = "";
	const char *first_why = NULL;
	int rc, first_rc = 0;

	id[0] = '\0';
	set_why(why, NULL);
	rc = tlv_find(buf, len, &t, &need, why);
	if (rc != NDEF_OK)
		return rc;
	if (t.length > len - t.offset) {
		set_why(why, "NDEF message runs past the bytes read");
		return NDEF_ETRUNCATED;
	}
	if (t.length == 0) {
		set_why(why, "empty NDEF message");
		return NDEF_EMPTY;
	}
	msg = buf + t.offset;
	for (int n = 0; n < MAX_RECORDS; n++) {
		record r;
		uint8_t tnf;
		const char *rwhy = NULL;

		if ((rc = record_next(msg, t.length, &pos, &r, why)) < 0)
			goto end;
		if (n == 0 && !(r.header & REC_MB)) {
			set_why(why, "first record lacks the message-begin flag");
			rc = NDEF_EMALFORMED;
			goto end;
		}
		if (n > 0 && (r.header & REC_MB)) {
			set_why(why, "message-begin flag on a later record");
			rc = NDEF_EMALFORMED;
			goto end;
		}
		tnf = r.header & REC_TNF;
		if (tnf == TNF_WELL_KNOWN && r.type_len == 1 && r.type[0] == 'T') {
			if ((rc = text_decode(&r, id, &rwhy)) == NDEF_OK)
				return NDEF_OK;
		} else if (tnf == TNF_WELL_KNOWN && r.type_len == 1 && r.type[0] == 'U' &&
			   uri_id[0] == '\0') {
			rc = uri_decode(&r, uri_id, &rwhy);
		} else {
			rc = NDEF_OK;
		}
		if (rc != NDEF_OK && first_rc == 0) {
			first_rc = rc;
			first_why = rwhy;
		}
		if (r.header & REC_ME) {
			if (first_rc == 0)
				first_why = "no Text or URI record";
			rc = first_rc ? first_rc : NDEF_EMPTY;
			set_why(why, first_why);
			goto end;
		}
		if (pos >= t.length) {
			set_why(why, "last record lacks the message-end flag");
			rc = NDEF_EMALFORMED;
			goto end;
		}
	}
	set_why(why, "too many records");
	rc = NDEF_EMALFORMED;
end:
	/* No Text record held an id (or the walk broke after a URI that did): the URI's. */
	if (uri_id[0] != '\0') {
		memcpy(id, uri_id, NDEF_ID_MAX);
		set_why(why, NULL);
		return NDEF_OK;
	}
	id[0] = '\0';
	return rc;
}

/* The signature payload: version, conference tag, UID length and UID, signature. */
static int sig_decode(const record *r, ndef_badge_sig *out, const char **why)
{
	const uint8_t *p = r->payload;
	size_t uid_len;

	if (r->payload_len < 6) {
		set_why(why, "signature record too short");
		return NDEF_EMALFORMED;
	}
	if (p[0] != NDEF_SIG_VERSION) {
		set_why(why, "signature record of an unknown version");
		return NDEF_EMALFORMED;
	}
	uid_len = p[5];
	if (uid_len != 4 && uid_len != 7 && uid_len != 10) {
		set_why(why, "signature record with a bad UID length");
		return NDEF_EMALFORMED;
	}
	if (r->payload_len != 6 + uid_len + NDEF_SIG_BYTES) {
		set_why(why, "signature record of the wrong length");
		return NDEF_EMALFORMED;
	}
	memcpy(out->conf_tag, p + 1, 4);
	memcpy(out->uid, p + 6, uid_len);
	out->uid_len = uid_len;
	memcpy(out->sig, p + 6 + uid_len, NDEF_SIG_BYTES);
	return 1;
}

int ndef_parse_signature(const uint8_t *buf, size_t len, ndef_badge_sig *out, const char **why)
{
	tlv t;
	size_t need, pos = 0;
	int rc;

	memset(out, 0, sizeof *out);
	set_why(why, NULL);
	rc = tlv_find(buf, len, &t, &need, why);
	if (rc == NDEF_EMPTY)
		return 0;
	if (rc != NDEF_OK)
		return rc;
	if (t.length > len - t.offset) {
		set_why(why, "NDEF message runs past the bytes read");
		return NDEF_ETRUNCATED;
	}
	for (int n = 0; n < MAX_RECORDS && pos < t.length; n++) {
		record r;
		if ((rc = record_next(buf + t.offset, t.length, &pos, &r, why)) < 0)
			return rc;
		if ((r.header & REC_TNF) == TNF_EXTERNAL && r.type_len == strlen(NDEF_SIG_TYPE) &&
		    memcmp(r.type, NDEF_SIG_TYPE, r.type_len) == 0)
			return sig_decode(&r, out, why);
		if (r.header & REC_ME)
			break;
	}
	set_why(why, "no signature record");
	return 0;
}

/* Appends one short record (payload <= 255) at out[*p]. */
static void record_put(uint8_t *out, size_t *p, uint8_t flags, uint8_t tnf, const char *type,
		       const uint8_t *payload, size_t payload_len)
{
	size_t tl = strlen(type);
	out[(*p)++] = (uint8_t)(flags | REC_SR | tnf);
	out[(*p)++] = (uint8_t)tl;
	out[(*p)++] = (uint8_t)payload_len;
	memcpy(out + *p, type, tl);
	*p += tl;
	memcpy(out + *p, payload, payload_len);
	*p += payload_len;
}

int ndef_build_badge(const char *text, const ndef_badge_sig *sig, uint8_t *out, size_t outsize)
{
	uint8_t tp[256], sp[6 + 10 + NDEF_SIG_BYTES];
	size_t tlen = strlen(text), tpl = 3 + tlen, spl = 0, rec, p = 0;

	if (sig == NULL)
		return ndef_build_text(text, out, outsize);
	if (tpl > 255 || (sig->uid_len != 4 && sig->uid_len != 7 && sig->uid_len != 10))
		return -1;
	tp[0] = 0x02;
	tp[1] = 'e';
	tp[2] = 'n';
	memcpy(tp + 3, text, tlen);
	sp[spl++] = NDEF_SIG_VERSION;
	memcpy(sp + spl, sig->conf_tag, 4);
	spl += 4;
	sp[spl++] = (uint8_t)sig->uid_len;
	memcpy(sp + spl, sig->uid, sig->uid_len);
	spl += sig->uid_len;
	memcpy(sp + spl, sig->sig, NDEF_SIG_BYTES);
	spl += NDEF_SIG_BYTES;
	rec = (3 + 1 + tpl) + (3 + strlen(NDEF_SIG_TYPE) + spl);
	if ((rec < 0xFF ? 2 : 4) + rec + 1 > outsize)
		return -1;
	out[p++] = TLV_NDEF;
	if (rec < 0xFF) {
		out[p++] = (uint8_t)rec;
	} else {
		out[p++] = 0xFF;
		out[p++] = (uint8_t)(rec >> 8);
		out[p++] = (uint8_t)rec;
	}
	record_put(out, &p, REC_MB, TNF_WELL_KNOWN, "T", tp, tpl);
	record_put(out, &p, REC_ME, TNF_EXTERNAL, NDEF_SIG_TYPE, sp, spl);
	out[p++] = TLV_TERMINATOR;
	return (int)p;
}

int ndef_build_text(const char *text, uint8_t *out, size_t outsize)
{
	size_t tlen = strlen(text);
	size_t payload = 3 + tlen; /* status byte, "en", text */
	size_t rec = payload <= 255 ? 3 + 1 + payload : 6 + 1 + payload;
	size_t hdr = rec < 0xFF ? 2 : 4;
	size_t total = hdr + rec + 1, p = 0;

	if (rec > 0xFFFE || total > outsize)
		return -1;
	out[p++] = TLV_NDEF;
	if (hdr == 2) {
		out[p++] = (uint8_t)rec;
	} else {
		out[p++] = 0xFF;
		out[p++] = (uint8_t)(rec >> 8);
		out[p++] = (uint8_t)rec;
	}
	if (payload <= 255) {
		out[p++] = REC_MB | REC_ME | REC_SR | TNF_WELL_KNOWN;
		out[p++] = 1;
		out[p++] = (uint8_t)payload;
	} else {
		out[p++] = REC_MB | REC_ME | TNF_WELL_KNOWN;
		out[p++] = 1;
		out[p++] = (uint8_t)(payload >> 24);
		out[p++] = (uint8_t)(payload >> 16);
		out[p++] = (uint8_t)(payload >> 8);
		out[p++] = (uint8_t)payload;
	}
	out[p++] = 'T';
	out[p++] = 0x02; /* UTF-8, language code of two bytes */
	out[p++] = 'e';
	out[p++] = 'n';
	memcpy(out + p, text, tlen);
	p += tlen;
	out[p++] = TLV_TERMINATOR;
	return (int)p;
}
