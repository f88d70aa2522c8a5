/* The badge policy: is this badge's id to be believed? Runs on the store worker before the
 * tap touches the store (docs/CONTRACT.md "Badge policy", docs/THREAT-MODEL.md). */
#ifndef KITH_APP_BADGE_CHECK_H
#define KITH_APP_BADGE_CHECK_H

#include "nfc/reader.h"
#include "store/store.h"

enum badge_policy {
	BADGE_POLICY_OPEN,           /* today's behaviour: NDEF id, then UID */
	BADGE_POLICY_SIGNED_OR_UID,  /* signed id, else the UID in the roster (id ignored) */
	BADGE_POLICY_SIGNED,         /* signed id only */
};

enum badge_refusal {
	BADGE_ACCEPTED = 0,
	BADGE_UNSIGNED,        /* no (usable) signature where the policy needs one */
	BADGE_BAD_SIGNATURE,   /* the signature does not verify: forged or edited */
	BADGE_WRONG_CONFERENCE, /* signed for another conference */
	BADGE_UID_MISMATCH,    /* signed for another tag: a copy */
	BADGE_REFUSAL_COUNT
};

typedef struct badge_verdict {
	enum badge_refusal refusal; /* BADGE_ACCEPTED: look up with the fields below */
	enum badge_policy policy;
	const char *ndef_id;        /* the id to look up (NULL: UID only) */
	int signed_ok;              /* 1: the id's signature verified */
} badge_verdict;

/* Reads the policy and the trusted key from the kiosk's meta and judges b. 0, or <0 when
 * the store failed (the tap is then an error, as for a failed lookup). */
int badge_check(store *db, const reader_badge *b, badge_verdict *v);
const char *badge_refusal_name(enum badge_refusal r); /* "unsigned", "bad-signature", ... */
/* Counts the refusal in meta (badge_refused_<name>) for the admin screen. */
void badge_refusal_count(store *db, enum badge_refusal r);

#endif
