/* The word lists behind `kioskctl demo`: names from many cultures (real UTF-8), libraries,
 * groups, tracks, venue and session titles. Data only; demo.c combines it. */
#include "demo_data.h"

/* Given and family names per culture, so a generated person is plausible. */
static const char *const en_given[] = { "Margaret", "James", "Olivia", "Daniel", "Grace", "Samuel", "Hannah", "Robert", "Emily", "Michael", "Abigail", "Thomas", "Chloe", "Nathan", "Ruth", "Patrick" };
static const char *const en_family[] = { "Thompson", "O'Connor", "Whitfield", "Baker", "Nguyen-Smith", "Harrington", "Okafor", "Campbell", "MacLeod", "Bennett", "Fitzgerald", "Sullivan", "Hughes", "Patel", "Foster", "Ramsey" };
static const char *const es_given[] = { "María José", "Alejandro", "Lucía", "Andrés", "Itziar", "Joaquín", "Valentina", "Íñigo", "Sofía", "Martín", "Ramón", "Águeda" };
static const char *const es_family[] = { "García Márquez", "Fernández", "Núñez", "Ibáñez", "Rodríguez Peña", "Sáenz", "Muñoz", "Gutiérrez", "Echeverría", "Peñalosa", "Domínguez", "Ortiz" };
static const char *const fr_given[] = { "Élodie", "François", "Amélie", "Jérôme", "Hélène", "Benoît", "Anaïs", "Loïc", "Cécile", "Théo", "Maëlle", "Gaëtan" };
static const char *const fr_family[] = { "Lefèvre", "Dubois", "Bérenger", "Moreau", "Château", "Rousseau", "Lemaître", "Faure", "Girard", "Bélanger", "Duchêne", "Giroux" };
static const char *const de_given[] = { "Jürgen", "Zoë", "Lukas", "Änne", "Matthias", "Sören", "Friederike", "Jörg", "Käthe", "Maximilian", "Björn", "Ute" };
static const char *const de_family[] = { "Müller", "Schröder", "Weiß", "Größmann", "Köhler", "Brückner", "Schäfer", "Hoffmann", "Løvdal", "Åström", "Jäger", "Kühn" };
static const char *const pl_given[] = { "Małgorzata", "Paweł", "Zofia", "Łukasz", "Agnieszka", "Wojciech", "Katarzyna", "Błażej" };
static const char *const pl_family[] = { "Kowalczyk", "Wiśniewska", "Łęcki", "Dąbrowski", "Szczęsna", "Żółkowski", "Grzybowska", "Jabłoński" };
static const char *const tr_given[] = { "Ayşe", "Çağlar", "Gülşen", "Oğuz", "Şebnem", "İbrahim", "Ömer", "Nilüfer" };
static const char *const tr_family[] = { "Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Aydın", "Güneş", "Erdoğdu" };
static const char *const vi_given[] = { "Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thu Trang", "Phạm Quốc Bảo", "Võ Thị Ngọc", "Đặng Hữu Phước" };
static const char *const vi_family[] = { "" };
static const char *const zh_given[] = { "王芳", "李娜", "张伟", "刘洋", "陈静", "杨丽", "赵磊", "黄敏", "周杰", "吴秀英", "徐婷", "孙浩" };
static const char *const zh_family[] = { "" };
static const char *const ja_given[] = { "花子", "健太", "美咲", "翔太", "由美", "大輔", "陽菜", "拓也" };
static const char *const ja_family[] = { "田中", "佐藤", "鈴木", "高橋", "渡辺", "伊藤", "山本", "中村" };
static const char *const ko_given[] = { "민준", "서연", "지훈", "하은", "도윤", "수빈" };
static const char *const ko_family[] = { "김", "이", "박", "최", "정", "강" };
static const char *const ar_given[] = { "محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم", "عمر", "نور" };
static const char *const ar_family[] = { "العلي", "الحسن", "منصور", "الخطيب", "حداد", "السيد", "القاسم", "عبد الله" };
static const char *const ru_given[] = { "Анна", "Дмитрий", "Екатерина", "Сергей", "Ольга", "Никита" };
static const char *const ru_family[] = { "Смирнова", "Иванов", "Кузнецова", "Попов", "Соколова", "Лебедев" };
static const char *const el_given[] = { "Γιώργος", "Ελένη", "Νίκος", "Μαρία", "Δημήτρης", "Αικατερίνη" };
static const char *const el_family[] = { "Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Βασιλείου", "Καραγιάννη" };
static const char *const in_given[] = { "Priya", "Arjun", "Ananya", "Rahul", "Lakshmi", "Vikram", "Deepika", "Sanjay" };
static const char *const in_family[] = { "Raghunathan", "Sharma", "Iyer", "Chatterjee", "Venkataraman", "Desai", "Krishnamurthy", "Banerjee" };
static const char *const af_given[] = { "Chiamaka", "Oluwaseun", "Amara", "Kwame", "Ngozi", "Tendai", "Wanjiru", "Kofi" };
static const char *const af_family[] = { "Adeyemi", "Okonkwo", "Mensah", "Abubakar", "Ndlovu", "Kamau", "Owusu", "Achebe" };
static const char *const nordic_given[] = { "Åsa", "Øystein", "Sigríður", "Jóhann", "Linnéa", "Mikaël" };
static const char *const nordic_family[] = { "Sørensen", "Ólafsdóttir", "Lindqvist", "Häkkinen", "Bjørnstad", "Þórsson" };
/* A few long, emoji-free names to test layouts. */
static const char *const long_given[] = { "María del Carmen", "Anna-Katharina Friederike", "Muhammad Abdul-Rahman", "Maximiliane Charlotte" };
static const char *const long_family[] = { "Fernández de la Torre y Rodríguez", "von Hohenberg-Wittelsbach", "bin Abdullah Al-Hashimi", "Bergström-Vasquez de Oliveira" };

#define CULTURE(g, f, w, order) { g, sizeof g / sizeof g[0], f, sizeof f / sizeof f[0], w, order }
const struct demo_culture demo_cultures[] = {
	CULTURE(en_given, en_family, 30, DEMO_GIVEN_FIRST),
	CULTURE(es_given, es_family, 10, DEMO_GIVEN_FIRST),
	CULTURE(fr_given, fr_family, 7, DEMO_GIVEN_FIRST),
	CULTURE(de_given, de_family, 7, DEMO_GIVEN_FIRST),
	CULTURE(pl_given, pl_family, 3, DEMO_GIVEN_FIRST),
	CULTURE(tr_given, tr_family, 3, DEMO_GIVEN_FIRST),
	CULTURE(vi_given, vi_family, 3, DEMO_GIVEN_ONLY),
	CULTURE(zh_given, zh_family, 6, DEMO_GIVEN_ONLY),
	CULTURE(ja_given, ja_family, 4, DEMO_FAMILY_FIRST),
	CULTURE(ko_given, ko_family, 3, DEMO_FAMILY_FIRST_TIGHT),
	CULTURE(ar_given, ar_family, 5, DEMO_GIVEN_FIRST),
	CULTURE(ru_given, ru_family, 3, DEMO_GIVEN_FIRST),
	CULTURE(el_given, el_family, 2, DEMO_GIVEN_FIRST),
	CULTURE(in_given, in_family, 6, DEMO_GIVEN_FIRST),
	CULTURE(af_given, af_family, 5, DEMO_GIVEN_FIRST),
	CULTURE(nordic_given, nordic_family, 2, DEMO_GIVEN_FIRST),
	CULTURE(long_given, long_family, 1, DEMO_GIVEN_FIRST),
};
const int demo_ncultures = sizeof demo_cultures / sizeof demo_cultures[0];

const char *const demo_libraries[] = {
	"Denver Public Library", "Seattle Public Library", "San José Public Library",
	"Chicago Public Library", "New York Public Library", "Library of Congress",
	"Toronto Public Library", "University of Toronto Libraries", "British Library",
	"Bodleian Libraries, University of Oxford", "National Library of Scotland",
	"Bibliothèque nationale de France", "Bibliothèque et Archives nationales du Québec",
	"Biblioteca Nacional de España", "Biblioteca Nacional de México",
	"Staatsbibliothek zu Berlin", "Deutsche Nationalbibliothek", "Zentral- und Landesbibliothek Berlin",
	"Det Kongelige Bibliotek", "Oodi Helsinki Central Library", "Kungliga biblioteket",
	"Koninklijke Bibliotheek", "Biblioteka Narodowa", "Národní knihovna České republiky",
	"Bibliotheca Alexandrina — مكتبة الإسكندرية", "Qatar National Library",
	"National Library of Singapore", "国立国会図書館 (National Diet Library)",
	"中国国家图书馆 (National Library of China)", "국립중앙도서관 (National Library of Korea)",
	"State Library Victoria", "National Library of New Zealand", "Auckland Libraries",
	"Biblioteca Nacional do Brasil", "University of Cape Town Libraries",
	"Kenya National Library Service", "National Library of India", "Boston Public Library",
	"Multnomah County Library", "Los Angeles Public Library", "Harvard Library",
	"Stanford Libraries", "Texas State Library and Archives Commission",
	"Minnesota State Library Services", "Anchorage Public Library",
	"Hennepin County Library", "King County Library System", "Pima County Public Library",
	"OCLC", "Internet Archive",
};
const int demo_nlibraries = sizeof demo_libraries / sizeof demo_libraries[0];

/* The first groups are the ones the issue names; the rest are regional networks and
 * special-interest sections. Order matters: --groups N takes the first N. */
const char *const demo_groups[] = {
	"CLENE", "Infopeople", "ASTD", "LibraryLearning",
	"Pacific Northwest Library Network", "Great Lakes Library Consortium",
	"Mountain Plains Library Association", "New England Library Network",
	"Southeast Library Alliance", "Nordic Library Forum", "Red de Bibliotecas de Iberoamérica",
	"Asia-Pacific Library Exchange", "Rare Books & Manuscripts Section",
	"Children's Services Section", "Digital Humanities SIG", "Cataloging & Metadata SIG",
	"Makerspace Librarians", "Data Curation Network", "Open Access Advocates",
	"Accessibility Interest Group", "School Library Section", "Library Instruction Round Table",
	"Public Library Trainers", "Archives & Preservation SIG", "Rural Libraries Network",
	"Music Library Association", "Law Librarians Caucus", "Health Sciences Librarians",
	"New Professionals Network", "Library Leadership Circle", "Bibliothécaires francophones",
	"Bibliotecarios Latinos", "Indigenous Knowledge Circle", "Green Libraries Network",
};
const int demo_ngroups = sizeof demo_groups / sizeof demo_groups[0];

const char *const demo_tracks[] = {
	"Learning & Training", "Digital Services", "Collections & Preservation",
	"Community Engagement", "Leadership & Management", "Open Science & Data",
	"Children & Youth", "Accessibility & Inclusion",
};
const int demo_ntracks = sizeof demo_tracks / sizeof demo_tracks[0];

const char *const demo_title_lead[] = {
	"Rethinking", "Scaling", "Teaching", "Designing", "Measuring", "Sustaining", "Building",
	"Lessons from", "A Field Guide to", "Beyond", "Reimagining", "Hands-on:", "Panel:",
	"Workshop:", "Lightning talks:", "Ten years of",
};
const int demo_ntitle_lead = sizeof demo_title_lead / sizeof demo_title_lead[0];

const char *const demo_title_topic[] = {
	"information literacy for adult learners", "open access workflows", "linked data in the catalogue",
	"makerspaces on a shoestring", "digital preservation at small institutions",
	"staff training that sticks", "storytime for multilingual families", "community archives",
	"research data management", "accessible e-book lending", "library services for newcomers",
	"AI tools at the reference desk", "mobile outreach and bookmobiles", "rural broadband hotspots",
	"mentoring new librarians", "privacy-first library systems", "citizen science partnerships",
	"rare book digitisation", "measuring the impact of programmes", "inclusive collection development",
	"volunteer-run branch libraries", "oral history projects", "gaming in the library",
	"the library as a third place",
};
const int demo_ntitle_topic = sizeof demo_title_topic / sizeof demo_title_topic[0];

/* The venue: four levels of a convention centre, rooms laid out along each floor plan
 * (x east, y north, metres). */
const struct demo_room demo_rooms[] = {
	{ "Foyer", 0, "Ground Floor", "main entrance", 0, 0, 30, 20 },
	{ "Hall A", 0, "Ground Floor", "west wing", 30, 0, 30, 25 },
	{ "Hall B", 0, "Ground Floor", "centre", 60, 0, 30, 25 },
	{ "Hall C", 0, "Ground Floor", "east wing", 90, 0, 35, 25 },
	{ "Exhibit Hall", 0, "Ground Floor", "south side", 30, 25, 95, 20 },
	{ "Room 1.01", 1, "Level 1", "west wing", 0, 0, 15, 12 },
	{ "Room 1.02", 1, "Level 1", "west wing", 15, 0, 15, 12 },
	{ "Room 1.03", 1, "Level 1", "centre", 30, 0, 15, 12 },
	{ "Room 1.04", 1, "Level 1", "east wing", 45, 0, 15, 12 },
	{ "Members Lounge", 1, "Level 1", "south side", 0, 12, 25, 10 },
	{ "Seminar Room Ada Lovelace", 2, "Level 2", "west wing", 0, 0, 20, 14 },
	{ "Seminar Room Melvil Dewey", 2, "Level 2", "centre", 20, 0, 20, 14 },
	{ "Seminar Room S. R. Ranganathan", 2, "Level 2", "east wing", 40, 0, 20, 14 },
	{ "Auditorium", 2, "Level 2", "south side", 0, 14, 60, 26 },
	{ "Reading Room Terrace", 3, "Level 3", "roof garden", 0, 0, 40, 18 },
	{ "Workshop Studio", 3, "Level 3", "east wing", 40, 0, 20, 18 },
};
const int demo_nrooms = sizeof demo_rooms / sizeof demo_rooms[0];

const struct demo_kiosk demo_kiosks[] = {
	{ "foyer-a", "Foyer, main entrance" },
	{ "foyer-b", "Foyer, by the cloakroom" },
	{ "hall-c", "Hall C lobby, east wing" },
	{ "level1-west", "Level 1, west stairs" },
	{ "auditorium", "Auditorium doors, Level 2" },
	{ "terrace", "Reading Room Terrace, Level 3" },
};
const int demo_nkiosks = sizeof demo_kiosks / sizeof demo_kiosks[0];
