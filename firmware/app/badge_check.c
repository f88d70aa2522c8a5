/* The badge policy (badge_check.h). A badge's NDEF id is only a claim: under `signed` and
 * `signed-or-roster-uid` it is believed only with a kith.app:sig record that verifies, under
 * the conference key this kiosk trusts, over the conference id, the id and this tag's UID.
 * The record's conference tag and UID are hints that name the reason for a refusal; they are
 * never trusted on their own (the signature covers the real UID, not the hint).
 */
#include "app/badge_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/sign.h"
#include "sync/conference.h"

#define MESSAGE_MAX 256

static const char *const refusal_names[BADGE_REFUSAL_COUNT] = {
	"accepted", "unsigned", "bad-signature", "wrong-conference", "uid-mismatch",
};

const char *badge_refusal_name(enum badge_refusal r)
{
	return (unsigned)r < BADGE_REFUSAL_COUNT ? refusal_names[r] : "?";
}

static enum badge_policy policy_read(store *db, int has_key)
{
	char p[32];
	if (store_meta_get(db, "badge_policy", p, sizeof p) != 1 || p[0] == '\0')
		return has_key ? BADGE_POLICY_SIGNED_OR_UID : BADGE_POLICY_OPEN;
	if (strcmp(p, "open") == 0)
		return BADGE_POLICY_OPEN;
	if (strcmp(p, "signed-or-roster-uid") == 0)
		return BADGE_POLICY_SIGNED_OR_UID;
	if (strcmp(p, "signed") != 0)
		log_warn("badge_policy '%s' is not open, signed-or-roster-uid or signed: taken as signed",
			 p);
	return BADGE_POLICY_SIGNED;
}

/* The signature record against the trusted key: BADGE_ACCEPTED or why not. */
static enum badge_refusal sig_judge(store *db, const reader_badge *b,
				    const uint8_t pk[SIGN_PUBLIC_BYTES])
{
	char conf[STORE_ID_MAX * 2] = "";
	uint8_t tag[4], msg[MESSAGE_MAX];
	size_t n;

	if (!b->has_sig || b->attendee_id[0] == '\0')
		return BADGE_UNSIGNED;
	store_meta_get(db, "conference_id", conf, sizeof conf);
	sign_conference_tag(conf, tag);
	if (memcmp(tag, b->sig.conf_tag, sizeof tag) != 0)
		return BADGE_WRONG_CONFERENCE;
	if (b->sig.uid_len != b->uid_len || memcmp(b->sig.uid, b->uid, b->uid_len) != 0)
		return BADGE_UID_MISMATCH;
	n = sign_badge_message(conf, b->attendee_id, b->uid, b->uid_len, msg, sizeof msg);
	if (n == 0 || sign_verify(pk, msg, n, b->sig.sig) != 0)
		return BADGE_BAD_SIGNATURE;
	return BADGE_ACCEPTED;
}

int badge_check(store *db, const reader_badge *b, badge_verdict *v)
{
	uint8_t pk[SIGN_PUBLIC_BYTES];
	int has_key = conference_key_get(db, pk);
	enum badge_refusal r;

	memset(v, 0, sizeof *v);
	if (has_key < 0)
		return has_key;
	v->policy = policy_read(db, has_key);
	v->ndef_id = b->attendee_id[0] ? b->attendee_id : NULL;
	if (v->policy == BADGE_POLICY_OPEN)
		return 0;
	r = has_key ? sig_judge(db, b, pk) : BADGE_UNSIGNED;
	if (r == BADGE_ACCEPTED) {
		v->signed_ok = 1;
		return 0;
	}
	/* A roster UID stands for cards bought with printed UIDs; an unsigned id on it is
	 * ignored, and a signature that is there but wrong is a forgery, refused. */
	if (v->policy == BADGE_POLICY_SIGNED_OR_UID && r == BADGE_UNSIGNED) {
		v->ndef_id = NULL;
		return 0;
	}
	v->refusal = r;
	v->ndef_id = NULL;
	return 0;
}

void badge_refusal_count(store *db, enum badge_refusal r)
{
	char key[64], val[32] = "0";
	long long n;

	snprintf(key, sizeof key, "badge_refused_%s", badge_refusal_name(r));
	store_meta_get(db, key, val, sizeof val);
	n = strtoll(val, NULL, 10) + 1;
	snprintf(val, sizeof val, "%lld", n);
	if (store_meta_set(db, key, val) < 0)
		log_warn("badge refusal count: %s", store_errmsg(db));
}
