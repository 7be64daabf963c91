/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP for AIA, OCSP and CRLs. We look the name up and connect ourselves,
 * so that a refused or unroutable connection fails at once and a name that
 * does not resolve is told apart (OpenSSL's own connect retries a refused
 * connection until its timeout); then OpenSSL's HTTP client does the
 * exchange on that socket, non-blocking, with the size limit and DER
 * framing as before. http_proxy / no_proxy are honoured. All requests of a
 * run share one time budget (--timeout). Each request is logged into the
 * inventory with a stable word for what went wrong. */
#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/httperr.h>

#include "core/i18n.h"
#include "core/opts.h"
#include "core/util.h"
#include "x509/x509_int.h"

/* A wait longer than this shows a progress line (when allowed). */
#define PROGRESS_AFTER_MS 1000
#define PROGRESS_EVERY_MS 200
/* Less time than this left: a request is not worth starting. */
#define MIN_LEFT_MS 50

void
nd_net_init(struct nd_net *net, bool offline, int timeout_s)
{
	memset(net, 0, sizeof *net);
	net->offline = offline;
	net->timeout_s = timeout_s > 0 ? timeout_s : ND_DEFAULT_TIMEOUT_S;
	/* one budget for the network part of the run, whatever it meets: the
	 * AIA downloads of a chain, OCSP, then CRLs */
	net->deadline_ms = nd_now_ms() + (int64_t)net->timeout_s * 1000;
	net->log = json_object_new_array();
}

/* ---- what one request came to ------------------------------------------- */

struct outcome {
	const char *error;    /* stable word; NULL when it worked */
	int http_status;      /* 0 when none */
	char detail[256];
};

static void
set_err(struct outcome *oc, const char *error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
set_err(struct outcome *oc, const char *error, const char *fmt, ...)
{
	va_list ap;

	oc->error = error;
	va_start(ap, fmt);
	vsnprintf(oc->detail, sizeof oc->detail, fmt, ap);
	va_end(ap);
}

static nd_err
outcome_code(const struct outcome *oc)
{
	if (!oc->error)
		return ND_OK;
	if (strcmp(oc->error, "timeout") == 0)
		return ND_ERR_TIMEOUT;
	if (strcmp(oc->error, "http_status") == 0 || strcmp(oc->error, "too_large") == 0)
		return ND_ERR_PROTOCOL;
	if (strcmp(oc->error, "bad_response") == 0)
		return ND_ERR_PARSE;
	if (strcmp(oc->error, "unsupported") == 0)
		return ND_ERR_UNSUPPORTED;
	if (strcmp(oc->error, "internal") == 0)
		return ND_ERR_INTERNAL;
	return ND_ERR_NETWORK;
}

/* ---- the progress line ---------------------------------------------------- */

struct progress {
	bool on, shown;
	int64_t t0, last;
	const char *purpose;
	const char *host;
};

static void
progress_tick(struct progress *pg, size_t bytes)
{
	int64_t now = nd_now_ms();
	char size[32];

	if (!pg->on || now - pg->t0 < PROGRESS_AFTER_MS || now - pg->last < PROGRESS_EVERY_MS)
		return;
	pg->last = now;
	pg->shown = true;
	if (bytes >= 1024 * 1024)
		snprintf(size, sizeof size, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
	else
		snprintf(size, sizeof size, "%zu kB", (bytes + 1023) / 1024);
	/* \r and "erase to end of line": the line is written over in place */
	fputc('\r', stderr);
	if (bytes == 0)
		fprintf(stderr, _("waiting for %s …"), pg->host);
	else if (strcmp(pg->purpose, "crl") == 0)
		fprintf(stderr, _("downloading the CRL from %s: %s"), pg->host, size);
	else
		fprintf(stderr, _("downloading from %s: %s"), pg->host, size);
	fputs("\033[K", stderr);
	fflush(stderr);
}

static void
progress_end(struct progress *pg)
{
	if (pg->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pg->shown = false;
}

static int
wait_ms(const struct progress *pg, int64_t deadline)
{
	int64_t left = deadline - nd_now_ms();

	if (left < 0)
		left = 0;
	/* wake up now and then to refresh the progress line */
	if (pg->on && left > PROGRESS_EVERY_MS)
		left = PROGRESS_EVERY_MS;
	return (int)left;
}

/* ---- name lookup, bounded ------------------------------------------------- */

/* getaddrinfo() blocks for as long as the resolver likes (seconds per name
 * server and try), so it runs in a thread of its own that we stop waiting
 * for at the deadline. The thread and the waiter share this; the last one
 * to let go frees it. */
struct lookup {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;
	bool done;
	int rc;
	int sys_errno;
	struct addrinfo *res;
	char host[256];
	char port[16];
};

static void
lookup_unref(struct lookup *lk)
{
	int refs;

	pthread_mutex_lock(&lk->mu);
	refs = --lk->refs;
	pthread_mutex_unlock(&lk->mu);
	if (refs > 0)
		return;
	if (lk->res)
		freeaddrinfo(lk->res);
	pthread_cond_destroy(&lk->cv);
	pthread_mutex_destroy(&lk->mu);
	free(lk);
}

static void *
lookup_run(void *arg)
{
	struct lookup *lk = arg;
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(lk->host, lk->port, &hints, &res);
	pthread_mutex_lock(&lk->mu);
	lk->rc = rc;
	lk->sys_errno = errno;
	lk->res = res;
	lk->done = true;
	pthread_cond_signal(&lk->cv);
	pthread_mutex_unlock(&lk->mu);
	lookup_unref(lk);
	return NULL;
}

/* 0, or EAI_* (EAI_AGAIN also when the deadline passed: *late says so). */
static int
resolve(const char *host, const char *port, int64_t deadline, struct progress *pg,
        struct addrinfo **out, bool *late)
{
	struct addrinfo hints;
	struct lookup *lk = NULL;
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t th;
	int rc;

	*out = NULL;
	*late = false;
	/* an address needs no lookup */
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, out) == 0)
		return 0;
	*out = NULL;
	if (strlen(host) >= sizeof lk->host || strlen(port) >= sizeof lk->port)
		return EAI_NONAME;
	lk = nd_xcalloc(1, sizeof *lk);
	snprintf(lk->host, sizeof lk->host, "%s", host);
	snprintf(lk->port, sizeof lk->port, "%s", port);
	lk->refs = 2;
	pthread_mutex_init(&lk->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&lk->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &ta, lookup_run, lk) != 0) {
		pthread_attr_destroy(&ta);
		lk->refs = 1;
		lookup_unref(lk);
		/* no thread: look up here, unbounded, rather than not at all */
		hints.ai_flags = AI_NUMERICSERV;
		return getaddrinfo(host, port, &hints, out);
	}
	pthread_attr_destroy(&ta);
	pthread_mutex_lock(&lk->mu);
	while (!lk->done && nd_now_ms() < deadline) {
		struct timespec ts;
		int64_t until = nd_now_ms() + wait_ms(pg, deadline);

		ts.tv_sec = (time_t)(until / 1000);
		ts.tv_nsec = (long)(until % 1000) * 1000000L;
		pthread_cond_timedwait(&lk->cv, &lk->mu, &ts);
		pthread_mutex_unlock(&lk->mu);
		progress_tick(pg, 0);
		pthread_mutex_lock(&lk->mu);
	}
	if (lk->done) {
		rc = lk->rc;
		if (rc == EAI_SYSTEM)
			errno = lk->sys_errno;
		*out = lk->res;
		lk->res = NULL;
	} else {
		rc = EAI_AGAIN;
		*late = true;
	}
	pthread_mutex_unlock(&lk->mu);
	lookup_unref(lk);
	return rc;
}

/* ---- connecting ------------------------------------------------------------ */

static const char *
connect_error_name(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case EACCES:
	case EPERM:          /* a local firewall rule */
		return "refused";
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN:
	case EADDRNOTAVAIL:
		return "unreachable";
	case ETIMEDOUT:
		return "timeout";
	default:
		return "unreachable";
	}
}

/* Connect to one of the addresses before the deadline. Returns the socket,
 * or -1 with *err_no the reason (ETIMEDOUT when the deadline passed). */
static int
connect_any(const struct addrinfo *ai, int64_t deadline, struct progress *pg, int *err_no)
{
	int best = 0;

	for (; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		int e = 0;

		if (fd < 0) {
			e = errno;
			goto next;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		e = errno;
		while (e == EINPROGRESS || e == EINTR) {
			struct pollfd p = { fd, POLLOUT, 0 };
			socklen_t sl = sizeof e;
			int r;

			if (nd_now_ms() >= deadline) {
				close(fd);
				*err_no = ETIMEDOUT;
				return -1;
			}
			r = poll(&p, 1, wait_ms(pg, deadline));
			progress_tick(pg, 0);
			if (r < 0 && errno != EINTR) {
				e = errno;
				break;
			}
			if (r <= 0)
				continue;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) != 0)
				e = errno;
			if (e == 0)
				return fd;
		}
	next:
		if (fd >= 0)
			close(fd);
		/* a refusal says more than "no route" (an IPv6 address without an
		 * IPv6 route, then an IPv4 one that refuses) */
		if (!best || e == ECONNREFUSED)
			best = e;
	}
	*err_no = best ? best : EHOSTUNREACH;
	return -1;
}

/* ---- the HTTP exchange ----------------------------------------------------- */

/* The status in OpenSSL's "code=404, reason=Not Found" (0 if none). */
static int
status_from_data(const char *data)
{
	const char *c = data ? strstr(data, "code=") : NULL;
	char *end;
	long v;

	if (!c)
		return 0;
	v = strtol(c + 5, &end, 10);
	return end != c + 5 && v >= 100 && v <= 999 ? (int)v : 0;
}

/* An HTTP status that is no answer: from the proxy, or the server's. */
static void
status_failure(struct outcome *oc, int status, const char *proxy, const char *host)
{
	oc->http_status = status;
	if (proxy && status == 407)
		set_err(oc, "proxy", _("the proxy %s needs authentication (HTTP 407)"), proxy);
	else if (proxy && (status == 502 || status == 503 || status == 504))
		set_err(oc, "proxy", _("the proxy %s could not get the answer from %s (HTTP %d)"),
		    proxy, host, status);
	else
		set_err(oc, "http_status", _("the server answered HTTP %d"), status);
}

/* Whether the body (n bytes at p) starts, after white space, with '<': a
 * captive portal's or a proxy's login page rather than DER. */
static bool
looks_html(const char *p, long n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	return n > 0 && *p == '<';
}

/* After OpenSSL's client gave up: say why, from its error queue. */
static void
classify_http_failure(OSSL_HTTP_REQ_CTX *rctx, const char *proxy, const char *host,
                      struct outcome *oc)
{
	unsigned long e, last = 0;
	const char *data = NULL, *last_data = NULL;
	int flags, status = 0;
	BIO *mem = OSSL_HTTP_REQ_CTX_get0_mem_bio(rctx);
	char *p = NULL;
	long n = mem ? BIO_get_mem_data(mem, &p) : 0;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (ERR_GET_LIB(e) != ERR_LIB_HTTP)
			continue;
		if (ERR_GET_REASON(e) == HTTP_R_RECEIVED_ERROR ||
		    ERR_GET_REASON(e) == HTTP_R_STATUS_CODE_UNSUPPORTED)
			status = status_from_data((flags & ERR_TXT_STRING) ? data : NULL);
		last = e;
		last_data = (flags & ERR_TXT_STRING) ? data : NULL;
	}
	if (status) {
		status_failure(oc, status, proxy, host);
		return;
	}
	switch (ERR_GET_REASON(last)) {
	case HTTP_R_MAX_RESP_LEN_EXCEEDED:
	case HTTP_R_ASN1_LEN_EXCEEDS_MAX_RESP_LEN:
		set_err(oc, "too_large", "%s", last_data ? last_data : "");
		return;
	case 0:
		/* OpenSSL's client stops without a word on a redirect (which we
		 * do not follow: Kamu SM serves its files where it names them)
		 * and when sending fails */
		if (proxy && n <= 0)
			set_err(oc, "proxy", _("the proxy %s closed the connection without an answer"), proxy);
		else
			set_err(oc, "bad_response", "%s", _("the server redirected the request elsewhere, which is not "
			    "followed, or dropped the connection"));
		return;
	case HTTP_R_FAILED_READING_DATA:
		if (proxy && n <= 0)
			set_err(oc, "proxy", _("the proxy %s closed the connection without an answer"), proxy);
		else
			set_err(oc, "bad_response", "%s", _("the connection closed before the whole answer arrived"));
		return;
	case HTTP_R_MISSING_ASN1_ENCODING:
		if (looks_html(p, n))
			set_err(oc, "bad_response", "%s",
			    _("an HTML page instead of DER (a captive portal or a proxy's login page?)"));
		else
			set_err(oc, "bad_response", "%s", _("the answer is not DER"));
		return;
	default:
		set_err(oc, "bad_response", _("the answer is not usable HTTP (%s%s%s)"),
		    ERR_reason_error_string(last) ? ERR_reason_error_string(last) : "?",
		    last_data && *last_data ? ": " : "", last_data ? last_data : "");
		return;
	}
}

/* Waits until fd is ready for `events`, or a while (for the progress
 * line). Returns false, with oc set, when the deadline has passed or poll
 * fails. */
static bool
await_fd(int fd, short events, int64_t deadline, struct progress *pg, struct outcome *oc)
{
	struct pollfd p = { fd, events, 0 };

	if (nd_now_ms() >= deadline) {
		set_err(oc, "timeout", "%s", "");
		return false;
	}
	if (poll(&p, 1, wait_ms(pg, deadline)) < 0 && errno != EINTR) {
		set_err(oc, "internal", "poll: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Sends the request and reads the answer through OpenSSL's client: the
 * whole DER answer (whole), or only its headers. Returns false with oc
 * set. */
static bool
http_run(OSSL_HTTP_REQ_CTX *rctx, int fd, BIO *sock, const char *proxy, const char *host, int64_t deadline,
         struct progress *pg, bool whole, struct outcome *oc)
{
	for (;;) {
		BIO *mem;
		int r;

		ERR_clear_error();
		r = OSSL_HTTP_REQ_CTX_nbio(rctx);
		if (r == 1)
			return true;
		if (r == 0) {
			classify_http_failure(rctx, proxy, host, oc);
			return false;
		}
		if (!await_fd(fd, BIO_should_write(sock) ? POLLOUT : POLLIN, deadline, pg, oc))
			return false;
		/* what OpenSSL holds of a whole answer so far */
		mem = whole ? OSSL_HTTP_REQ_CTX_get0_mem_bio(rctx) : NULL;
		progress_tick(pg, mem ? (size_t)BIO_pending(mem) : 0);
	}
}

/* A POST's body: OpenSSL takes it as an ASN.1 value; ours is DER, which an
 * ANY holding a SEQUENCE writes back byte for byte. *req is the caller's
 * to free. */
static bool
set_body(OSSL_HTTP_REQ_CTX *rctx, const char *content_type, const uint8_t *body, size_t body_len,
         ASN1_TYPE **req)
{
	const unsigned char *bp = body;

	*req = d2i_ASN1_TYPE(NULL, &bp, (long)body_len);
	return *req && bp == body + body_len &&
	    OSSL_HTTP_REQ_CTX_set1_req(rctx, content_type, ASN1_ITEM_rptr(ASN1_ANY), (const ASN1_VALUE *)*req);
}

/* The request on a connected socket. On success *out holds the DER answer. */
static void
exchange(int fd, const char *proxy, const char *host, const char *port, const char *pathq,
         const char *content_type, const uint8_t *body, size_t body_len, size_t max_len,
         int64_t deadline, struct progress *pg, uint8_t **out, size_t *out_len,
         struct outcome *oc)
{
	BIO *bio = BIO_new_socket(fd, BIO_CLOSE);
	OSSL_HTTP_REQ_CTX *rctx = NULL;
	ASN1_TYPE *req = NULL;
	char *hosthdr = NULL;
	const char *mp = NULL;
	long mn;
	size_t len;

	if (!bio) {
		close(fd);
		set_err(oc, "internal", "%s", nd_strerror(ND_ERR_NOMEM));
		goto fail;
	}
	rctx = OSSL_HTTP_REQ_CTX_new(bio, bio, 0);
	hosthdr = strcmp(port, "80") == 0 ? nd_xstrdup(host) : nd_asprintf("%s:%s", host, port);
	/* through a proxy, the request line names the whole URL (RFC 7230
	 * §5.3.2): giving the server makes OpenSSL write it so */
	if (!rctx || !OSSL_HTTP_REQ_CTX_set_request_line(rctx, body != NULL, proxy ? host : NULL,
	    proxy ? port : NULL, pathq) ||
	    !OSSL_HTTP_REQ_CTX_add1_header(rctx, "Host", hosthdr) ||
	    /* DER answers (RFC 5280, 6960): OpenSSL reads exactly one DER
	     * object, checking its length against max_len; the deadline is ours */
	    !OSSL_HTTP_REQ_CTX_set_expected(rctx, NULL, 1, 0, 0)) {
		set_err(oc, "internal", "%s", _("could not prepare the HTTP request"));
		goto fail;
	}
	OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, (unsigned long)max_len);
	if (body && !set_body(rctx, content_type, body, body_len, &req)) {
		set_err(oc, "internal", "%s", _("could not prepare the HTTP request"));
		goto fail;
	}
	if (!http_run(rctx, fd, bio, proxy, host, deadline, pg, true, oc))
		goto fail;
	/* the mem BIO holds the DER object; resp_len is its whole length */
	mn = BIO_get_mem_data(OSSL_HTTP_REQ_CTX_get0_mem_bio(rctx), &mp);
	len = OSSL_HTTP_REQ_CTX_get_resp_len(rctx);
	if (mn <= 0 || len == 0 || len > (size_t)mn || len > max_len) {
		set_err(oc, "bad_response", "%s", _("the answer is not DER"));
		goto fail;
	}
	*out = nd_xcalloc(len, 1);
	memcpy(*out, mp, len);
	*out_len = len;
fail:
	ERR_clear_error();
	ASN1_TYPE_free(req);
	OSSL_HTTP_REQ_CTX_free(rctx);
	BIO_free(bio);
	free(hosthdr);
}

/* Reads the body into the sink, chunk by chunk: at most max_len bytes,
 * `want` of them when the headers gave a length. Returns the bytes read,
 * or 0 with oc set. */
static size_t
stream_body(BIO *rb, int fd, size_t max_len, size_t want, int64_t deadline, struct progress *pg,
            const struct nd_net_sink *sink, struct outcome *oc)
{
	uint8_t *chunk = nd_xcalloc(ND_NET_CHUNK, 1);
	size_t total = 0;

	for (;;) {
		int n = BIO_read(rb, chunk, ND_NET_CHUNK);

		if (n > 0) {
			if ((size_t)n > max_len - total) {
				set_err(oc, "too_large", "%s", "");
				goto fail;
			}
			total += (size_t)n;
			progress_tick(pg, total);
			if (!sink->fn(sink->ctx, chunk, (size_t)n))
				break;   /* the reader has seen enough */
			if (want && total == want)
				break;
			continue;
		}
		if (n == 0 || !BIO_should_retry(rb)) {
			if (want && total != want) {
				set_err(oc, "bad_response", "%s", _("the connection closed before the whole answer arrived"));
				goto fail;
			}
			break;
		}
		if (!await_fd(fd, POLLIN, deadline, pg, oc))
			goto fail;
	}
	if (total == 0)
		set_err(oc, "bad_response", "%s", _("the answer is empty"));
	free(chunk);
	return total;
fail:
	free(chunk);
	return 0;
}

/* The same for a GET whose body is handed to the sink as it arrives, never
 * held whole: OpenSSL's client reads the headers (expect_asn1 = 0 leaves
 * the body on the connection, line-buffered reading through BIO_f_buffer
 * so that a header split across packets is read whole), then we read the
 * body ourselves, bounded by max_len and the deadline. */
static void
exchange_stream(int fd, const char *proxy, const char *host, const char *port, const char *pathq,
                size_t max_len, int64_t deadline, struct progress *pg, const struct nd_net_sink *sink,
                size_t *out_len, struct outcome *oc)
{
	BIO *sock = BIO_new_socket(fd, BIO_CLOSE), *rb = NULL;
	OSSL_HTTP_REQ_CTX *rctx = NULL;
	char *hosthdr = NULL;
	size_t total;

	if (!sock || !(rb = BIO_new(BIO_f_buffer()))) {
		if (!sock)
			close(fd);
		set_err(oc, "internal", "%s", nd_strerror(ND_ERR_NOMEM));
		goto fail;
	}
	BIO_push(rb, sock);
	rctx = OSSL_HTTP_REQ_CTX_new(sock, rb, 0);
	hosthdr = strcmp(port, "80") == 0 ? nd_xstrdup(host) : nd_asprintf("%s:%s", host, port);
	if (!rctx || !OSSL_HTTP_REQ_CTX_set_request_line(rctx, 0, proxy ? host : NULL, proxy ? port : NULL, pathq) ||
	    !OSSL_HTTP_REQ_CTX_add1_header(rctx, "Host", hosthdr) ||
	    !OSSL_HTTP_REQ_CTX_set_expected(rctx, NULL, 0, 0, 0)) {
		set_err(oc, "internal", "%s", _("could not prepare the HTTP request"));
		goto fail;
	}
	OSSL_HTTP_REQ_CTX_set_max_response_length(rctx, (unsigned long)max_len);
	if (!http_run(rctx, fd, sock, proxy, host, deadline, pg, false, oc))
		goto fail;
	/* Content-Length, when given, was checked against max_len already */
	total = stream_body(rb, fd, max_len, OSSL_HTTP_REQ_CTX_get_resp_len(rctx), deadline, pg, sink, oc);
	if (total > 0)
		*out_len = total;
fail:
	ERR_clear_error();
	OSSL_HTTP_REQ_CTX_free(rctx);
	if (rb)
		BIO_free_all(rb);
	else
		BIO_free(sock);
	free(hosthdr);
}

/* ---- one request ------------------------------------------------------------ */

/* Why the name (of the host, or of the proxy) did not resolve. */
static void
resolve_failed(struct outcome *oc, int rc, bool late, const char *proxy, const char *chost)
{
	const char *why = late ? _("the name server did not answer in time") :
	    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc);

	if (rc == EAI_MEMORY)
		set_err(oc, "internal", "%s", why);
	else if (proxy)
		set_err(oc, "proxy", _("the proxy's name %s does not resolve (%s)"), chost, why);
	else
		set_err(oc, "dns", _("the name %s does not resolve (%s)"), chost, why);
}

/* Why no connection (to the host, or to the proxy) could be made. */
static void
connect_failed(struct outcome *oc, int e, const char *proxy, const char *chost, const char *cport)
{
	const char *kind = connect_error_name(e);

	if (strcmp(kind, "timeout") == 0)
		set_err(oc, "timeout", "%s", "");
	else if (proxy && strcmp(kind, "refused") == 0)
		set_err(oc, "proxy", _("the proxy %s refused the connection"), proxy);
	else if (proxy)
		set_err(oc, "proxy", _("the proxy %s cannot be reached (%s)"), proxy, strerror(e));
	else if (strcmp(kind, "refused") == 0)
		set_err(oc, "refused", _("%s:%s refused the connection"), chost, cport);
	else
		set_err(oc, "unreachable", _("%s:%s cannot be reached (%s)"), chost, cport, strerror(e));
}

/* A timeout says how long was waited, and through which proxy. */
static void
timeout_detail(struct outcome *oc, const struct progress *pg, const char *proxy)
{
	int64_t ms = pg->t0 ? nd_now_ms() - pg->t0 : 0;

	snprintf(oc->detail, sizeof oc->detail, _("no answer within %d s"), (int)((ms + 500) / 1000));
	if (proxy) {
		size_t k = strlen(oc->detail);
		snprintf(oc->detail + k, sizeof oc->detail - k, _(" (through the proxy %s)"), proxy);
	}
}

static void
fetch(struct nd_net *net, const char *purpose, const char *url, const char *content_type,
      const uint8_t *body, size_t body_len, size_t max_len, const struct nd_net_sink *sink,
      uint8_t **out, size_t *out_len, const char **proxy_out, struct outcome *oc)
{
	char *host = NULL, *port = NULL, *path = NULL, *query = NULL, *pathq = NULL;
	char *phost = NULL, *pport = NULL;
	const char *proxy, *chost, *cport;
	struct addrinfo *ai = NULL;
	struct progress pg;
	int use_ssl = 0, rc, fd, e = 0;
	bool late;

	memset(&pg, 0, sizeof pg);
	if (net->offline) {
		set_err(oc, "offline", "%s", _("offline"));
		goto fail;
	}
	if (!OSSL_HTTP_parse_url(url, &use_ssl, NULL, &host, &port, NULL, &path, &query, NULL)) {
		set_err(oc, "unsupported", "%s", _("not a valid URL"));
		goto fail;
	}
	if (use_ssl) {
		/* Kamu SM publishes over plain HTTP (the data is signed); an
		 * https URL would need a TLS setup we do not make here */
		set_err(oc, "unsupported", "%s", _("https URLs are not supported here"));
		goto fail;
	}
	if (net->deadline_ms - nd_now_ms() < MIN_LEFT_MS) {
		set_err(oc, "timeout", "%s", _("not tried: the time for network requests ran out"));
		goto fail;
	}
	pathq = query && *query ? nd_asprintf("%s?%s", path, query) : nd_xstrdup(path);
	proxy = OSSL_HTTP_adapt_proxy(NULL, NULL, host, 0);
	*proxy_out = proxy;
	if (proxy && !OSSL_HTTP_parse_url(proxy, NULL, NULL, &phost, &pport, NULL, NULL, NULL, NULL)) {
		set_err(oc, "proxy", _("the proxy setting %s is not a valid address (http_proxy)"), proxy);
		goto fail;
	}
	chost = proxy ? phost : host;
	cport = proxy ? pport : port;
	pg.on = net->progress;
	pg.t0 = nd_now_ms();
	pg.purpose = purpose;
	pg.host = host;

	rc = resolve(chost, cport, net->deadline_ms, &pg, &ai, &late);
	if (rc != 0) {
		resolve_failed(oc, rc, late, proxy, chost);
		goto fail;
	}
	fd = connect_any(ai, net->deadline_ms, &pg, &e);
	if (fd < 0) {
		connect_failed(oc, e, proxy, chost, cport);
		goto fail;
	}
	if (sink)
		exchange_stream(fd, proxy, host, port, pathq, max_len, net->deadline_ms, &pg, sink, out_len, oc);
	else
		exchange(fd, proxy, host, port, pathq, content_type, body, body_len, max_len,
		    net->deadline_ms, &pg, out, out_len, oc);
fail:
	if (oc->error && strcmp(oc->error, "timeout") == 0 && !oc->detail[0])
		timeout_detail(oc, &pg, *proxy_out);
	progress_end(&pg);
	freeaddrinfo(ai);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	OPENSSL_free(query);
	OPENSSL_free(phost);
	OPENSSL_free(pport);
	free(pathq);
}

static nd_err
fetch_logged(struct nd_net *net, const char *purpose, const char *url, const char *content_type,
             const uint8_t *body, size_t body_len, size_t max_len, const struct nd_net_sink *sink,
             uint8_t **out, size_t *out_len, char *err, size_t errsz)
{
	json_object *entry = json_object_new_object();
	struct outcome oc;
	const char *proxy = NULL;
	int64_t t0 = nd_now_ms();
	nd_err rv;

	*out = NULL;
	*out_len = 0;
	err[0] = '\0';
	memset(&oc, 0, sizeof oc);
	ERR_clear_error();
	json_object_object_add(entry, "purpose", json_object_new_string(purpose));
	nd_jset_str(entry, "url", url);
	fetch(net, purpose, url, content_type, body, body_len, max_len, sink, out, out_len, &proxy, &oc);
	if (oc.error && strcmp(oc.error, "too_large") == 0)
		snprintf(oc.detail, sizeof oc.detail, _("answer larger than %zu bytes"), max_len);
	rv = outcome_code(&oc);
	if (rv != ND_OK) {
		free(*out);
		*out = NULL;
		*out_len = 0;
		snprintf(err, errsz, "%s", oc.detail);
	}
	nd_jset_str(entry, "proxy", proxy);
	json_object_object_add(entry, "ms", json_object_new_int64(nd_now_ms() - t0));
	json_object_object_add(entry, "ok", json_object_new_boolean(rv == ND_OK));
	if (rv != ND_OK) {
		json_object_object_add(entry, "error", json_object_new_string(oc.error));
		if (oc.http_status)
			json_object_object_add(entry, "http_status", json_object_new_int(oc.http_status));
		json_object_object_add(entry, "detail", json_object_new_string(oc.detail));
	} else
		json_object_object_add(entry, "bytes", json_object_new_int64((int64_t)*out_len));
	json_object_array_add(net->log, entry);
	ERR_clear_error();
	return rv;
}

nd_err
nd_net_fetch(struct nd_net *net, const char *purpose, const char *url, const char *content_type,
             const uint8_t *body, size_t body_len, size_t max_len, uint8_t **out, size_t *out_len,
             char *err, size_t errsz)
{
	return fetch_logged(net, purpose, url, content_type, body, body_len, max_len, NULL, out, out_len,
	    err, errsz);
}

nd_err
nd_net_fetch_stream(struct nd_net *net, const char *purpose, const char *url, size_t max_len,
                    const struct nd_net_sink *sink, size_t *out_len, char *err, size_t errsz)
{
	uint8_t *none = NULL;

	return fetch_logged(net, purpose, url, NULL, NULL, 0, max_len, sink, &none, out_len, err, errsz);
}
