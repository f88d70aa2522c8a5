/* Word lists for `kioskctl demo` (demo_data.c). */
#ifndef KIOSKCTL_DEMO_DATA_H
#define KIOSKCTL_DEMO_DATA_H

enum demo_name_order {
	DEMO_GIVEN_FIRST,        /* "Grace Okafor" */
	DEMO_FAMILY_FIRST,       /* "田中 花子" */
	DEMO_FAMILY_FIRST_TIGHT, /* "김민준" */
	DEMO_GIVEN_ONLY,         /* the given list holds whole names */
};

struct demo_culture {
	const char *const *given;
	int ngiven;
	const char *const *family;
	int nfamily;
	int weight; /* relative share of attendees */
	enum demo_name_order order;
};

struct demo_room {
	const char *name;
	int floor;
	const char *floor_name;
	const char *area;
	int x, y, w, h; /* rectangle on the floor plan, metres */
};

struct demo_kiosk {
	const char *id;
	const char *location;
};

extern const struct demo_culture demo_cultures[];
extern const int demo_ncultures;
extern const char *const demo_libraries[];
extern const int demo_nlibraries;
extern const char *const demo_groups[];
extern const int demo_ngroups;
extern const char *const demo_tracks[];
extern const int demo_ntracks;
extern const char *const demo_title_lead[];
extern const int demo_ntitle_lead;
extern const char *const demo_title_topic[];
extern const int demo_ntitle_topic;
extern const struct demo_room demo_rooms[];
extern const int demo_nrooms;
extern const struct demo_kiosk demo_kiosks[];
extern const int demo_nkiosks;

#endif
