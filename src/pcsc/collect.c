/* SPDX-License-Identifier: BSD-2-Clause */
/* The pcsc collector. libpcsclite has no time limit of its own on most calls
 * (a stopped pcscd hangs SCardEstablishContext, a mute card hangs
 * SCardTransmit), so every conversation with pcscd runs in a child process
 * under nd_child_run(): the parent kills a child that stays silent longer
 * than --timeout and records the call it was stuck in.
 *
 * Two kinds of children: one survey (context, reader list, reader states
 * with their ATRs), then one probe per card (connect, status, one harmless
 * APDU), so that one mute card cannot hide the others. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include "core/isolate.h"
#include "core/util.h"
#include "pcsc/atr.h"
#include "pcsc/cardid.h"
#include "pcsc/pcsc.h"
#include "pcsc/pcsc_int.h"

#define MAX_READERS 32
#define MAX_READER_LIST (64u * 1024)
#define DEFAULT_SOCKET "/run/pcscd/pcscd.comm"

const uint8_t nd_pcsc_probe_apdu[7] = { 0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00 };

const char *
nd_pcsc_protocol_name(unsigned long proto)
{
	switch (proto) {
	case SCARD_PROTOCOL_T0: return "T=0";
	case SCARD_PROTOCOL_T1: return "T=1";
	case SCARD_PROTOCOL_RAW: return "RAW";
	case SCARD_PROTOCOL_T15: return "T=15";
	}
	return NULL;
}

size_t
nd_pcsc_select_readers(const char *filter, const char *const *names, size_t n, bool *sel)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		sel[i] = !filter || strcmp(names[i], filter) == 0;
		count += sel[i];
	}
	if (!filter || count)
		return count;
	for (size_t i = 0; i < n; i++) {
		sel[i] = strcasestr(names[i], filter) != NULL;
		count += sel[i];
	}
	return count;
}

/* ---- child side ---------------------------------------------------- */

LONG
nd_pcsc_list_readers(SCARDCONTEXT ctx, char **list)
{
	DWORD len = 0;
	LONG rv = SCARD_E_INSUFFICIENT_BUFFER;

	*list = NULL;
	for (int tries = 0; tries < 3 && rv == SCARD_E_INSUFFICIENT_BUFFER; tries++) {
		free(*list);
		*list = NULL;
		len = 0;
		rv = SCardListReaders(ctx, NULL, NULL, &len);
		if (rv != SCARD_S_SUCCESS)
			break;
		if (len == 0 || len > MAX_READER_LIST) {
			rv = SCARD_E_INSUFFICIENT_BUFFER;
			break;
		}
		*list = nd_xcalloc((size_t)len + 1, 1);
		rv = SCardListReaders(ctx, NULL, *list, &len);
	}
	if (rv != SCARD_S_SUCCESS) {
		free(*list);
		*list = NULL;
	}
	return rv;
}

static void
send_rv(struct nd_chan *ch, const char *type, LONG rv, json_object *extra)
{
	json_object *m = extra ? extra : json_object_new_object();

	json_object_object_add(m, "type", json_object_new_string(type));
	json_object_object_add(m, "rv", json_object_new_int64((int64_t)rv));
	nd_chan_send(ch, m);
	json_object_put(m);
}

static void
add_bytes(json_object *o, const char *key, const uint8_t *p, size_t n)
{
	char *h = nd_hex(p, n);

	json_object_object_add(o, key, json_object_new_string(h));
	free(h);
}

static void
child_survey(struct nd_chan *ch, void *arg)
{
	SCARDCONTEXT ctx = 0;
	SCARD_READERSTATE st[MAX_READERS];
	char *list = NULL;
	const char *names[MAX_READERS];
	size_t n = 0;
	json_object *m, *arr;
	LONG rv;

	(void)arg;
	nd_chan_step(ch, "SCardEstablishContext");
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	send_rv(ch, "context", rv, NULL);
	if (rv != SCARD_S_SUCCESS)
		goto fail;

	nd_chan_step(ch, "SCardListReaders");
	rv = nd_pcsc_list_readers(ctx, &list);
	m = json_object_new_object();
	arr = json_object_new_array();
	/* a multi-string: names end with NUL, the list with an empty name */
	for (const char *r = list; rv == SCARD_S_SUCCESS && r && *r && n < MAX_READERS; r += strlen(r) + 1) {
		names[n++] = r;
		json_object_array_add(arr, json_object_new_string(r));
	}
	json_object_object_add(m, "names", arr);
	send_rv(ch, "readers", rv, m);
	if (n == 0)
		goto fail;

	memset(st, 0, sizeof st);
	for (size_t i = 0; i < n; i++) {
		st[i].szReader = names[i];
		st[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	nd_chan_step(ch, "SCardGetStatusChange");
	rv = SCardGetStatusChange(ctx, 0, st, (DWORD)n);
	m = json_object_new_object();
	arr = json_object_new_array();
	for (size_t i = 0; rv == SCARD_S_SUCCESS && i < n; i++) {
		json_object *r = json_object_new_object();
		size_t alen = st[i].cbAtr <= sizeof st[i].rgbAtr ? st[i].cbAtr : 0;

		json_object_object_add(r, "state", json_object_new_int64((int64_t)st[i].dwEventState));
		add_bytes(r, "atr", st[i].rgbAtr, alen);
		json_object_array_add(arr, r);
	}
	json_object_object_add(m, "states", arr);
	send_rv(ch, "states", rv, m);
fail:
	if (ctx)
		SCardReleaseContext(ctx);
	free(list);
}

struct probe_arg {
	const char *reader;
};

static void
child_probe(struct nd_chan *ch, void *arg)
{
	const char *reader = ((const struct probe_arg *)arg)->reader;
	SCARDCONTEXT ctx = 0;
	SCARDHANDLE h = 0;
	DWORD proto = 0, state = 0, rlen = 0, alen = MAX_ATR_SIZE, resp_len;
	BYTE atr[MAX_ATR_SIZE], resp[258];
	char rname[MAX_READERNAME + 1];
	bool transaction = false;
	json_object *m;
	int64_t t0;
	LONG rv;

	nd_chan_step(ch, "SCardEstablishContext");
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	send_rv(ch, "context", rv, NULL);
	if (rv != SCARD_S_SUCCESS)
		goto fail;

	nd_chan_step(ch, "SCardConnect");
	rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
	    &h, &proto);
	m = json_object_new_object();
	json_object_object_add(m, "protocol", json_object_new_int64((int64_t)proto));
	send_rv(ch, "connect", rv, m);
	if (rv != SCARD_S_SUCCESS)
		goto fail;

	nd_chan_step(ch, "SCardStatus");
	rlen = sizeof rname;
	rv = SCardStatus(h, rname, &rlen, &state, &proto, atr, &alen);
	m = json_object_new_object();
	if (rv == SCARD_S_SUCCESS)
		add_bytes(m, "atr", atr, alen <= sizeof atr ? alen : 0);
	json_object_object_add(m, "protocol", json_object_new_int64((int64_t)proto));
	/* the upper 16 bits are an event counter (pcsc-lite) */
	json_object_object_add(m, "state", json_object_new_int64((int64_t)(state & 0xFFFF)));
	send_rv(ch, "status", rv, m);
	if (rv != SCARD_S_SUCCESS)
		goto fail;

	/* The transaction keeps our command from landing in the middle of
	 * another program's command sequence on a shared card. */
	nd_chan_step(ch, "SCardBeginTransaction");
	transaction = SCardBeginTransaction(h) == SCARD_S_SUCCESS;

	nd_chan_step(ch, "SCardTransmit");
	resp_len = sizeof resp;
	t0 = nd_now_ms();
	rv = SCardTransmit(h, proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 :
	    proto == SCARD_PROTOCOL_RAW ? SCARD_PCI_RAW : SCARD_PCI_T0,
	    nd_pcsc_probe_apdu, sizeof nd_pcsc_probe_apdu, NULL, resp, &resp_len);
	m = json_object_new_object();
	if (rv == SCARD_S_SUCCESS)
		add_bytes(m, "resp", resp, resp_len <= sizeof resp ? resp_len : 0);
	json_object_object_add(m, "ms", json_object_new_int64(nd_now_ms() - t0));
	send_rv(ch, "apdu", rv, m);
fail:
	if (transaction) {
		nd_chan_step(ch, "SCardEndTransaction");
		SCardEndTransaction(h, SCARD_LEAVE_CARD);
	}
	if (h) {
		nd_chan_step(ch, "SCardDisconnect");
		SCardDisconnect(h, SCARD_LEAVE_CARD);
	}
	if (ctx)
		SCardReleaseContext(ctx);
}

/* ---- parent side --------------------------------------------------- */

/* Messages of one child, by type. */
struct msgs {
	json_object *by_type;
};

static bool
keep_msg(json_object *msg, void *ctx)
{
	struct msgs *m = ctx;
	const char *type = nd_jstr(msg, "type");

	if (type)
		json_object_object_add(m->by_type, type, json_object_get(msg));
	return true;
}

static json_object *
got(const struct msgs *m, const char *type)
{
	return nd_jobj(m->by_type, type);
}

static LONG
msg_rv(const json_object *msg)
{
	return (LONG)nd_jint(msg, "rv", (int64_t)SCARD_F_UNKNOWN_ERROR);
}

static void
set_rv(json_object *o, const char *key, LONG rv)
{
	json_object_object_add(o, key, json_object_new_string(nd_pcsc_rv_name(rv)));
}

static const struct {
	DWORD bit;
	const char *name;
} reader_flags[] = {
	{ SCARD_STATE_UNKNOWN, "unknown" },
	{ SCARD_STATE_UNAVAILABLE, "unavailable" },
	{ SCARD_STATE_EMPTY, "empty" },
	{ SCARD_STATE_PRESENT, "present" },
	{ SCARD_STATE_EXCLUSIVE, "exclusive" },
	{ SCARD_STATE_INUSE, "inuse" },
	{ SCARD_STATE_MUTE, "mute" },
	{ SCARD_STATE_UNPOWERED, "unpowered" },
};

static json_object *
state_flags(DWORD st)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sizeof reader_flags / sizeof reader_flags[0]; i++)
		if (st & reader_flags[i].bit)
			json_object_array_add(a, json_object_new_string(reader_flags[i].name));
	return a;
}

json_object *
nd_pcsc_card_json(const uint8_t *atr, size_t n, const struct nd_cardlist *list)
{
	json_object *card = json_object_new_object(), *known;
	struct nd_atr a;
	struct nd_card_id id;
	char *hex = nd_hex(atr, n);

	json_object_object_add(card, "atr", json_object_new_string(hex));
	free(hex);
	nd_atr_parse(atr, n, &a);
	nd_card_identify(&a, &id);
	json_object_object_add(card, "protocol", NULL);   /* known once connected */
	json_object_object_add(card, "family", json_object_new_string(id.family));
	json_object_object_add(card, "name", json_object_new_string(id.name));
	if (id.ambiguous_with)
		json_object_object_add(card, "ambiguous_with", json_object_new_string(id.ambiguous_with));
	if ((known = nd_cardlist_match(list, atr, n)))
		json_object_object_add(card, "known_as", known);
	json_object_object_add(card, "atr_info", nd_atr_to_json(&a));
	return card;
}

/* The card's state from the return value of the call that failed. */
static const char *
card_state_from_rv(LONG rv)
{
	switch (rv) {
	case SCARD_E_SHARING_VIOLATION:
		return "in_use";
	case SCARD_W_UNRESPONSIVE_CARD:
	case SCARD_E_NOT_TRANSACTED:   /* the reader got no answer from the card */
	case SCARD_F_COMM_ERROR:
	case SCARD_E_COMM_DATA_LOST:
		return "mute";
	case SCARD_E_PROTO_MISMATCH:
	case SCARD_W_UNSUPPORTED_CARD:
	case SCARD_E_CARD_UNSUPPORTED:
	case SCARD_E_INVALID_ATR:
		return "unsupported";
	case SCARD_W_REMOVED_CARD:
	case SCARD_E_NO_SMARTCARD:
		return "removed";
	case SCARD_W_UNPOWERED_CARD:
		return "unpowered";
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		return "no_service";
	}
	return "error";
}

/* Who may hold a reader exclusively: the usual suspects among the running
 * processes (read from /proc; names only). */
static json_object *
exclusive_holders(void)
{
	static const char *const suspects[] = { "scdaemon" };
	json_object *arr = json_object_new_array();
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char path[64], comm[64] = "";
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%.20s/comm", e->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
		for (size_t i = 0; i < sizeof suspects / sizeof suspects[0]; i++) {
			if (strcmp(comm, suspects[i]) != 0)
				continue;
			json_object *p = json_object_new_object();
			json_object_object_add(p, "pid", json_object_new_int64(strtoll(e->d_name, NULL, 10)));
			json_object_object_add(p, "name", json_object_new_string(comm));
			json_object_array_add(arr, p);
		}
	}
	if (d)
		closedir(d);
	return arr;
}

/* The card's own ATR and protocol, from the probe's SCardStatus answer. */
static void
card_status(json_object *card, const json_object *status, const struct nd_cardlist *list)
{
	const char *hex = nd_jstr(status, "atr"), *before = nd_jstr(card, "atr");
	uint8_t atr[64];
	long n;

	/* the card may have been swapped since the survey: its own ATR wins */
	if (hex && before && strcmp(hex, before) != 0 &&
	    (n = nd_unhex(hex, atr, sizeof atr)) > 0) {
		json_object *fresh = nd_pcsc_card_json(atr, (size_t)n, list);
		json_object_object_foreach(fresh, k, v)
			json_object_object_add(card, k, json_object_get(v));
		json_object_put(fresh);
	}
	nd_jset_str(card, "protocol", nd_pcsc_protocol_name((unsigned long)nd_jint(status, "protocol", 0)));
}

/* card.apdu from the probe's APDU answer; true when the card answered
 * with at least a status word. */
static bool
card_apdu(json_object *card, const json_object *apdu)
{
	json_object *a = json_object_new_object();
	char *cmd = nd_hex(nd_pcsc_probe_apdu, sizeof nd_pcsc_probe_apdu);
	const char *resp = nd_jstr(apdu, "resp");
	size_t rl = resp ? strlen(resp) : 0;
	bool answered = msg_rv(apdu) == SCARD_S_SUCCESS && rl >= 4;

	json_object_object_add(a, "command", json_object_new_string(cmd));
	free(cmd);
	json_object_object_add(a, "answered", json_object_new_boolean(answered));
	json_object_object_add(a, "sw", answered ? json_object_new_string(resp + rl - 4) : NULL);
	set_rv(a, "rv", msg_rv(apdu));
	json_object_object_add(a, "ms", json_object_new_int64(nd_jint(apdu, "ms", 0)));
	json_object_object_add(card, "apdu", a);
	return answered;
}

/* The card's state from how the probe ended and the first call that
 * failed (with card.error, hung_step or held_by beside it). */
static const char *
card_state(json_object *card, const struct msgs *m, const struct nd_child_result *res, bool answered)
{
	json_object *conn = got(m, "connect"), *status = got(m, "status"), *apdu = got(m, "apdu");
	json_object *ctx = got(m, "context");
	LONG rv;

	if (res->end == ND_CHILD_TIMEOUT) {
		/* stuck at reset or in a command: a card that does not answer
		 * (or a pcscd that does not, which the survey would have seen) */
		json_object_object_add(card, "hung_step", json_object_new_string(res->step));
		return strcmp(res->step, "SCardEstablishContext") == 0 ? "no_service" : "mute";
	}
	if (res->end != ND_CHILD_EXITED || res->code != 0)
		return "probe_failed";
	if (!ctx || msg_rv(ctx) != SCARD_S_SUCCESS) {
		set_rv(card, "error", ctx ? msg_rv(ctx) : SCARD_F_UNKNOWN_ERROR);
		return "no_service";
	}
	if (!conn || !status || !apdu) {
		/* the first call that failed says why */
		json_object *last = !conn ? NULL : msg_rv(conn) != SCARD_S_SUCCESS ? conn : status;
		rv = last ? msg_rv(last) : SCARD_F_UNKNOWN_ERROR;
		set_rv(card, "error", rv);
		if (rv == SCARD_E_SHARING_VIOLATION)
			json_object_object_add(card, "held_by", exclusive_holders());
		return card_state_from_rv(rv);
	}
	if (msg_rv(apdu) != SCARD_S_SUCCESS) {
		set_rv(card, "error", msg_rv(apdu));
		return card_state_from_rv(msg_rv(apdu));
	}
	if (!answered) {
		/* "success" without even a status word */
		json_object_object_add(card, "error", json_object_new_string("short_response"));
		return "error";
	}
	return "answers";
}

/* Probe one card; fills card (state, protocol, apdu, ...). */
static void
probe_card(const char *reader, const struct nd_child_limits *lim, json_object *card,
           const struct nd_cardlist *list)
{
	struct msgs m = { json_object_new_object() };
	struct nd_child_result res;
	struct probe_arg pa = { reader };
	const char *state = "probe_failed";
	bool answered = false;

	if (nd_child_run(child_probe, &pa, lim, keep_msg, &m, &res) != ND_OK)
		goto fail;
	if (got(&m, "connect"))
		set_rv(card, "connect_rv", msg_rv(got(&m, "connect")));
	if (got(&m, "status"))
		card_status(card, got(&m, "status"), list);
	if (got(&m, "apdu"))
		answered = card_apdu(card, got(&m, "apdu"));
	state = card_state(card, &m, &res, answered);
fail:
	json_object_object_add(card, "state", json_object_new_string(state));
	json_object_put(m.by_type);
}

static bool
pcscd_installed(void)
{
	static const char *const paths[] = { "/usr/sbin/pcscd", "/sbin/pcscd", "/usr/local/sbin/pcscd" };

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], X_OK) == 0)
			return true;
	return false;
}

/* pcscd's polkit check closes a refused client's connection right after
 * accepting it. libpcsclite then says SCARD_W_SECURITY_VIOLATION, or
 * SCARD_E_NO_SERVICE when its first write loses the race against that close
 * (seen under load). Ask the socket directly: connect, send nothing, and see
 * whether the daemon hangs up on us. Returns true for "accepted, then closed
 * without a word". Bounded by wait_ms. */
static bool
daemon_hangs_up(const char *sock, int wait_ms)
{
	struct sockaddr_un sa;
	struct pollfd p;
	int fd = -1;
	bool closed = false;
	char b;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof sa.sun_path)
		goto fail;
	memcpy(sa.sun_path, sock, strlen(sock));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		goto fail;   /* nobody listens: a stale socket file */
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	while (poll(&p, 1, wait_ms) < 0 && errno == EINTR)
		;
	if (p.revents & (POLLIN | POLLHUP))
		closed = recv(fd, &b, 1, MSG_DONTWAIT) <= 0;
fail:
	if (fd >= 0)
		close(fd);
	return closed;
}

/* What the answer to SCardEstablishContext says about the daemon. */
static const char *
service_state(LONG rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return "ok";
	case SCARD_E_NO_SERVICE:
		return "not_running";
	case SCARD_W_SECURITY_VIOLATION:
		/* pcscd closed the connection before answering: its polkit
		 * check refused us */
		return "refused";
	case SCARD_E_SERVICE_STOPPED:
		/* pcscd answers the version exchange with this when client and
		 * daemon protocol versions differ */
		return "protocol_mismatch";
	}
	return "error";
}

/* What is known before asking the daemon anything. */
static void
setup_facts(json_object *pcsc, const char *sock, const char *filter, int timeout_ms)
{
	struct stat st;

	json_object_object_add(pcsc, "timeout_s", json_object_new_int(timeout_ms / 1000));
	json_object_object_add(pcsc, "client_version", json_object_new_string(PCSCLITE_VERSION_NUMBER));
	json_object_object_add(pcsc, "socket", json_object_new_string(sock));
	json_object_object_add(pcsc, "socket_present",
	    json_object_new_boolean(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode)));
	json_object_object_add(pcsc, "pcscd_installed", json_object_new_boolean(pcscd_installed()));
	if (filter)
		json_object_object_add(pcsc, "reader_filter", json_object_new_string(filter));
}

/* The daemon's state from the survey child's answers and how it ended,
 * cross-checked: a "no service" while the socket is there may be polkit
 * hanging up on us. */
static const char *
survey_service(json_object *pcsc, const struct msgs *m, const struct nd_child_result *res,
               const char *sock, int timeout_ms)
{
	json_object *ctx = got(m, "context");
	const char *svc = "error";

	if (ctx) {
		set_rv(pcsc, "rv", msg_rv(ctx));
		json_object_object_add(pcsc, "error", json_object_new_string(nd_err_name(nd_err_from_pcsc(msg_rv(ctx)))));
		svc = service_state(msg_rv(ctx));
		if (msg_rv(ctx) == SCARD_E_NO_SERVICE && nd_jbool(pcsc, "socket_present", false) &&
		    daemon_hangs_up(sock, timeout_ms < 1000 ? timeout_ms : 1000)) {
			svc = "refused";
			json_object_object_add(pcsc, "refused_how", json_object_new_string("hangs_up"));
		}
	}
	if (res->end == ND_CHILD_TIMEOUT) {
		json_object_object_add(pcsc, "hung_step", json_object_new_string(res->step));
		svc = "no_answer";
	} else if (res->end != ND_CHILD_EXITED || res->code != 0 || !ctx) {
		json_object_object_add(pcsc, "collector_end", json_object_new_string(nd_child_end_name(res->end)));
		svc = "collector_failed";
	}
	return svc;
}

/* smartcard_list.txt, loaded only when some reader holds a card. */
static struct nd_cardlist *
load_cardlist(json_object *pcsc, const json_object *states, size_t n)
{
	struct nd_cardlist *list = NULL;
	bool any_atr = false;
	const char *path;
	json_object *lj;
	nd_err e;

	for (size_t i = 0; states && i < n; i++)
		if (nd_jstr(json_object_array_get_idx(states, i), "atr") &&
		    *nd_jstr(json_object_array_get_idx(states, i), "atr"))
			any_atr = true;
	if (!any_atr)
		return NULL;
	path = nd_cardlist_path();
	e = nd_cardlist_load(path, &list);
	lj = json_object_new_object();
	nd_jset_str(lj, "path", path);
	json_object_object_add(lj, "loaded", json_object_new_boolean(e == ND_OK));
	if (e == ND_OK)
		json_object_object_add(lj, "entries", json_object_new_int64((int64_t)nd_cardlist_count(list)));
	else
		json_object_object_add(lj, "error", json_object_new_string(nd_err_name(e)));
	json_object_object_add(pcsc, "smartcard_list", lj);
	return list;
}

/* One inventory.readers entry: the reader as surveyed (s: its state, or
 * NULL), and its card, probed when the reader is selected. */
static json_object *
reader_entry(const char *raw, const json_object *s, bool filtered, bool sel,
             const struct nd_child_limits *lim, const struct nd_cardlist *list)
{
	json_object *r = json_object_new_object(), *card = NULL;
	char *clean = nd_pcsc_printable((const uint8_t *)raw, strlen(raw), MAX_READERNAME);
	DWORD flags = 0;
	const char *hex = NULL;
	uint8_t atr[64];
	long alen = 0;

	if (s) {
		flags = (DWORD)nd_jint(s, "state", 0) & 0xFFFF;
		hex = nd_jstr(s, "atr");
	}
	json_object_object_add(r, "name", json_object_new_string(clean));
	free(clean);
	json_object_object_add(r, "state", state_flags(flags));
	if (filtered)
		json_object_object_add(r, "selected", json_object_new_boolean(sel));
	if ((flags & SCARD_STATE_PRESENT) && hex && (alen = nd_unhex(hex, atr, sizeof atr)) >= 0) {
		card = nd_pcsc_card_json(atr, (size_t)alen, list);
		if (!sel)
			json_object_object_add(card, "state", json_object_new_string("not_probed"));
		else
			probe_card(raw, lim, card, list);
	}
	json_object_object_add(r, "card", card);
	return r;
}

/* Every reader the survey named, in its order (at most MAX_READERS). */
static struct nd_cardlist *
add_readers(json_object *pcsc, json_object *readers, const json_object *names, const json_object *states,
            const char *filter, const struct nd_child_limits *lim)
{
	size_t n = json_object_array_length(names);
	const char *raw[MAX_READERS];
	bool sel[MAX_READERS];
	struct nd_cardlist *list;

	if (n > MAX_READERS)
		n = MAX_READERS;
	for (size_t i = 0; i < n; i++)
		raw[i] = json_object_get_string(json_object_array_get_idx(names, i));
	nd_pcsc_select_readers(filter, raw, n, sel);
	list = load_cardlist(pcsc, states, n);
	for (size_t i = 0; i < n; i++) {
		json_object *s = states ? json_object_array_get_idx(states, i) : NULL;
		json_object_array_add(readers, reader_entry(raw[i], s, filter != NULL, sel[i], lim, list));
	}
	return list;
}

nd_err
nd_pcsc_collect(struct nd_report *rep)
{
	const struct nd_opts *o = rep->opts;
	int timeout_ms = o->timeout_s * 1000;
	struct nd_child_limits lim = { timeout_ms, timeout_ms };
	struct nd_child_result res;
	struct msgs m = { json_object_new_object() };
	json_object *pcsc = json_object_new_object(), *readers = json_object_new_array();
	json_object *rd, *sts, *names = NULL, *states = NULL;
	struct nd_cardlist *list = NULL;
	const char *sock = getenv("PCSCLITE_CSOCK_NAME");
	const char *filter = o ? o->reader : NULL;
	const char *svc = "collector_failed";
	int64_t start = nd_now_ms();
	nd_err rv = ND_ERR_INTERNAL;

	if (!sock || !*sock)
		sock = DEFAULT_SOCKET;
	setup_facts(pcsc, sock, filter, timeout_ms);
	if (nd_child_run(child_survey, NULL, &lim, keep_msg, &m, &res) != ND_OK)
		goto fail;
	svc = survey_service(pcsc, &m, &res, sock, timeout_ms);
	if ((rd = got(&m, "readers")) != NULL) {
		set_rv(pcsc, "readers_rv", msg_rv(rd));
		if (msg_rv(rd) == SCARD_S_SUCCESS)
			names = nd_jarr(rd, "names");
	}
	if ((sts = got(&m, "states")) != NULL && msg_rv(sts) == SCARD_S_SUCCESS)
		states = nd_jarr(sts, "states");
	if (names)
		list = add_readers(pcsc, readers, names, states, filter, &lim);
	rv = ND_OK;
fail:
	json_object_object_add(pcsc, "service", json_object_new_string(svc));
	json_object_object_add(pcsc, "reachable", json_object_new_boolean(strcmp(svc, "ok") == 0));
	json_object_object_add(pcsc, "elapsed_ms", json_object_new_int64(nd_now_ms() - start));
	json_object_object_add(rep->inventory, "pcsc", pcsc);
	json_object_object_add(rep->inventory, "readers", readers);
	nd_cardlist_free(&list);
	json_object_put(m.by_type);
	return rv;
}
