/* SPDX-License-Identifier: BSD-2-Clause */
/* Private to src/x509: describing certificates, the pinned anchors, the
 * certificate pool, HTTP, the cache, chain building and revocation. Exposed
 * here (not in x509.h) so that tests and fuzz harnesses can reach the parts
 * that read outside bytes. */
#ifndef ND_X509_INT_H
#define ND_X509_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "core/error.h"
#include "x509/x509.h"

/* Size limits for what we download or read (a CA certificate is a few KiB;
 * a national CA's CRL can hold hundreds of thousands of entries). */
#define ND_X509_MAX_CERT (256u * 1024)
#define ND_X509_MAX_OCSP (1u * 1024 * 1024)
/* A CRL is checked as it streams (crl_stream.c), in memory that does not
 * grow with it; this bounds only the bytes read (and the time): some
 * 14 million entries, a hundred times the largest Kamu SM CRL seen. */
#define ND_X509_MAX_CRL (512u * 1024 * 1024)
#define ND_X509_MAX_FILE (64u * 1024 * 1024)
/* How many AIA downloads one chain may need (issuing CA, root, a cross). */
#define ND_X509_MAX_AIA 4
/* Clock skew allowed on OCSP and CRL times. */
#define ND_X509_SKEW_S 300
/* An OCSP answer that does not echo our nonce (RFC 5019 responders, answers
 * cached by a CDN) may be a replay: it is taken only when its thisUpdate is
 * at most this old and its nextUpdate has not passed. CA/Browser Forum
 * Baseline Requirements 4.9.10: a responder refreshes its answers at the
 * latest four days after their thisUpdate. */
#define ND_OCSP_NONCELESS_MAX_AGE_S (4L * 86400)

/* ---- describe.c: facts about one certificate ---------------------------- */

/* A JSON object of facts (see drivers-notes/kamusm-certificates.md). The
 * holder's identity number is masked unless show_id. New reference. */
json_object *nd_x509_describe(X509 *x, bool show_id);
/* "C=TR, O=..., CN=..." in UTF-8, serialNumber masked unless show_id.
 * malloc'ed. */
char *nd_x509_name_str(const X509_NAME *n, bool show_id);
/* ISO 8601 UTC ("2029-08-06T00:00:00Z") into buf; "" when unreadable. */
void nd_x509_time_str(const ASN1_TIME *t, char *buf, size_t bufsz);
/* Upper-case hex SHA-256 of the DER; malloc'ed. */
char *nd_x509_sha256_hex(X509 *x);
/* Qualified-certificate statement ids of x, as dotted OIDs (new array). */
json_object *nd_x509_qc_statements(X509 *x);
/* nd_x509_parse_time, ND_X509_TIME_BAD: in x509.h. */

/* The OIDs that matter: in x509.h. */

/* ---- anchors.c: Kamu SM's certificates pinned by SHA-256 ---------------- */

struct nd_pin {
	const char *sha256;   /* upper-case hex */
	const char *name;
	bool root;            /* a self-signed root (else an issuing CA) */
	const char *file;     /* its DER in DATADIR/kamusm/, or NULL */
	const char *skid;     /* its subject key identifier, upper-case hex */
};
/* The pin matching this fingerprint, or NULL. */
const struct nd_pin *nd_x509_pin_find(const char *sha256_hex);
/* The data folder (Kamu SM's certificates in kamusm/): $NESDOCTOR_DATADIR,
 * else share/nesdoctor next to the binary (a build tree, before `make
 * install`), else the installed one. malloc'ed. */
char *nd_x509_data_dir(void);
/* Kamu SM's certificate that issued cur, read from DATA_DIR/kamusm/ only
 * when cur names it (its authority key identifier is the pinned
 * certificate's SKID; without one, its issuer CN is the pinned name) and
 * only when the file's SHA-256 is the pin. A file that is there but is
 * not that certificate is ignored and named in errors (an array:
 * {file, error: "pin_mismatch", "parse", "io", sha256, detail}), once.
 * New reference, or NULL. */
X509 *nd_x509_bundled_issuer(const char *data_dir, X509 *cur, json_object *errors);

/* ---- decoding outside bytes ---------------------------------------------- */

/* Certificates in buf: one DER certificate, or PEM with one or more, or a
 * PKCS#7 certs-only bundle (DER or PEM). Appends to out. ND_OK when at
 * least one was read; ND_ERR_PARSE otherwise (err says why). */
nd_err nd_x509_decode_certs(const uint8_t *buf, size_t len, STACK_OF(X509) *out,
                            char *err, size_t errsz);
/* The same; every PEM block is read wherever it is, and what was not a
 * certificate (a key, a damaged block, text around the blocks) is named
 * in skipped (an array of strings) when it is not NULL. */
nd_err nd_x509_decode_certs_skipped(const uint8_t *buf, size_t len, STACK_OF(X509) *out,
                                    json_object *skipped, char *err, size_t errsz);
/* Read a whole regular file with a size limit ("-" and /dev/stdin: standard
 * input, a pipe too). Anything else (a FIFO, a device) is refused without
 * blocking: "not a regular file (a FIFO)". */
nd_err nd_x509_read_file(const char *path, size_t max, uint8_t **out, size_t *out_len,
                         char *err, size_t errsz);
/* The same relative to dirfd; nofollow: a symbolic link is refused too. */
nd_err nd_x509_read_fileat(int dirfd, const char *path, bool nofollow, size_t max, uint8_t **out,
                           size_t *out_len, char *err, size_t errsz);

/* ---- net.c: HTTP through OpenSSL's client -------------------------------- */

struct nd_net {
	bool offline;
	bool progress;        /* say on stderr what a long wait is for (a terminal, text mode) */
	int timeout_s;        /* --timeout: the budget of all requests together */
	int64_t deadline_ms;  /* when that budget runs out (monotonic) */
	json_object *log;     /* array: {purpose, url, proxy, ms, ok, error, http_status, detail, bytes} */
};
void nd_net_init(struct nd_net *net, bool offline, int timeout_s);
/* GET (body NULL) or POST. On error err says what, with the URL left to the
 * caller, and the log entry's "error" names the cause in a stable word: dns,
 * refused, unreachable, proxy, http_status, bad_response, too_large, timeout
 * (and offline, unsupported, internal, which are not the network's doing).
 * Returns ND_ERR_TIMEOUT for timeout, ND_ERR_NETWORK for dns, refused,
 * unreachable and proxy, ND_ERR_PROTOCOL for http_status and too_large,
 * ND_ERR_PARSE for bad_response, ND_ERR_UNSUPPORTED for non-http URLs. */
nd_err nd_net_fetch(struct nd_net *net, const char *purpose, const char *url,
                    const char *content_type, const uint8_t *body, size_t body_len,
                    size_t max_len, uint8_t **out, size_t *out_len, char *err, size_t errsz);

/* The streaming variant: a GET whose body goes to sink->fn as it arrives
 * (in pieces of at most ND_NET_CHUNK bytes), never held whole; at most
 * max_len bytes (too_large beyond), within the same budget, with the same
 * errors and log entry ("bytes": what was read). sink->fn returns false
 * to stop reading (it has seen enough: the answer is not usable). */
#define ND_NET_CHUNK (64u * 1024)
struct nd_net_sink {
	bool (*fn)(void *ctx, const uint8_t *p, size_t n);
	void *ctx;
};
nd_err nd_net_fetch_stream(struct nd_net *net, const char *purpose, const char *url, size_t max_len,
                           const struct nd_net_sink *sink, size_t *out_len, char *err, size_t errsz);

/* ---- cache.c: downloaded CA certificates and CRLs ----------------------- */

/* The cache folder: --cache-dir, else $XDG_CACHE_HOME/nesdoctor, else
 * ~/.cache/nesdoctor; NULL when none can be named. malloc'ed. */
char *nd_cache_dir(const char *opt);
/* May the folder be used: not there yet, or a real folder (not a link)
 * of ours that group and others cannot write, and so are its ca/ and crl/.
 * Else false, with why. Every other call checks this again by itself. */
bool nd_cache_usable(const char *dir, char *why, size_t whysz);
/* Load the cached CA certificates (all of them: the cache is bounded, and
 * expired ones are dropped) into out. */
void nd_cache_load_certs(const char *dir, STACK_OF(X509) *out);
/* Store a CA certificate of a verified chain. */
void nd_cache_store_cert(const char *dir, X509 *x);
/* The cached bytes for a URL (CRLs), or ND_ERR_NOT_FOUND. */
nd_err nd_cache_load_url(const char *dir, const char *kind, const char *url,
                         uint8_t **out, size_t *out_len);
void nd_cache_store_url(const char *dir, const char *kind, const char *url,
                        const uint8_t *p, size_t n);
/* The same as they stream: the cached file for a URL opened for reading
 * (a regular file, not a link; -1 when none), its stat in st. */
struct stat;
int nd_cache_open_url(const char *dir, const char *kind, const char *url, struct stat *st);
/* A file being written under a fresh temporary name (O_EXCL), renamed
 * over the URL's file by commit (st: the file as stored) or removed by
 * abort. commit and abort release t. */
struct nd_cache_tmp {
	int sfd, fd;
	bool failed;
	char kind[8];
	char name[72];
	char tmp[128];
};
bool nd_cache_tmp_open(const char *dir, const char *kind, const char *url, struct nd_cache_tmp *t);
bool nd_cache_tmp_write(struct nd_cache_tmp *t, const uint8_t *p, size_t n);
bool nd_cache_tmp_commit(struct nd_cache_tmp *t, struct stat *st);
void nd_cache_tmp_abort(struct nd_cache_tmp *t);
/* A small text kept next to a URL's file ("<name>.ok"): the record of a
 * verified CRL (revocation.c). load: malloc'ed, NULL when none. */
void nd_cache_store_note(const char *dir, const char *kind, const char *url, const char *text);
char *nd_cache_load_note(const char *dir, const char *kind, const char *url);

/* ---- revocation: the parts that read responses -------------------------- */

enum nd_rev_status { ND_REV_NONE, ND_REV_GOOD, ND_REV_REVOKED, ND_REV_UNKNOWN };

struct nd_rev {
	enum nd_rev_status status;   /* NONE: this source gave no answer */
	int reason;                  /* CRL reason code, -1 when none */
	char date[32];               /* revocation time */
	char this_update[32];
	char next_update[32];
	nd_err code;                 /* why there was no answer */
	const char *error;           /* a finer, stable name for code (JSON
	                                "error"): "crl_scope", "crl_unusable",
	                                "crl_too_large"; NULL: nd_err_name(code) */
	char err[256];
	bool nonce_echoed;
	const char *nonce;           /* OCSP: "echoed", "absent"; NULL: not asked */
	bool sig_checked;            /* CRL: its signature was verified now */
	bool cacheable;              /* CRL: it answered good or revoked */
	bool verified_before;        /* CRL: from the cache, its record matched */
};

void nd_rev_init(struct nd_rev *res);
void nd_rev_fail(struct nd_rev *res, nd_err code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* status NONE, code ND_ERR_UNSUPPORTED, error "crl_scope"/"crl_unusable" */
void nd_rev_unusable(struct nd_rev *res, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- crl_stream.c: a CRL checked as it streams -------------------------- */

/* A push parser: feed the CRL (DER, or PEM) in chunks of any size, then
 * finish. The signature over the tbsCertList is verified as the bytes pass
 * (ECDSA, RSA PKCS#1 v1.5 and RSA-PSS with SHA-2; not when
 * check_signature is false: a CRL verified before, see revocation.c), the
 * serial of leaf looked for entry by entry, and the rest (issuer, times,
 * scope: see nd_crl_eval) decided at finish. Memory stays flat: one
 * element (at most 64 KiB) at a time; a larger element makes the CRL
 * unusable ("crl_unusable"), more than ND_X509_MAX_CRL bytes too large
 * ("crl_too_large"). The result does not depend on how the bytes were cut
 * into chunks. */
struct nd_crl_stream;
struct nd_crl_stream *nd_crl_stream_new(X509 *leaf, X509 *issuer, const char *url, time_t now,
                                        bool check_signature);
void nd_crl_stream_feed(struct nd_crl_stream *s, const uint8_t *p, size_t n);
/* Nothing more will change the answer (it cannot be read): stop feeding. */
bool nd_crl_stream_failed(const struct nd_crl_stream *s);
void nd_crl_stream_finish(struct nd_crl_stream *s, struct nd_rev *res);
/* After finish: the entries seen, the crlNumber in hex ("" when none). */
uint64_t nd_crl_stream_entries(const struct nd_crl_stream *s);
const char *nd_crl_stream_number(const struct nd_crl_stream *s);
void nd_crl_stream_free(struct nd_crl_stream **sp);   /* frees, *sp = NULL */

/* Judge an OCSP response for (id) asked with req (req may be NULL: no
 * nonce check) at time now. Signature checked against st + certs. An
 * answer without our nonce is taken only when fresh (see
 * ND_OCSP_NONCELESS_MAX_AGE_S); a wrong nonce never. */
void nd_ocsp_eval(const uint8_t *der, size_t n, OCSP_REQUEST *req, OCSP_CERTID *id,
                  X509_STORE *st, STACK_OF(X509) *certs, time_t now, struct nd_rev *res);
/* Judge a CRL (DER or PEM) for leaf, issued and signed by issuer, fetched
 * from url (one of leaf's CRL distribution points; NULL: any of them).
 * The CRL must cover leaf (RFC 5280 6.3.3): a delta CRL, a CRL limited to
 * CA or attribute certificates, to some reasons or to another distribution
 * point, an indirect CRL, unknown critical extensions and removeFromCRL
 * entries in a complete CRL leave the status NONE with res->error
 * "crl_scope" or "crl_unusable" (a listing of leaf in a delta or partial-
 * reasons CRL still says revoked). Fills crl_out (when not NULL) with
 * OpenSSL's decoding of the CRL only when it answered good or revoked
 * (tests; the buffer is fed to the stream parser at once). */
void nd_crl_eval(const uint8_t *buf, size_t n, X509 *leaf, X509 *issuer, const char *url,
                 time_t now, struct nd_rev *res, X509_CRL **crl_out);
const char *nd_rev_status_name(enum nd_rev_status s);
const char *nd_crl_reason_name(int reason);

/* Revocation of leaf (issued by issuer): OCSP first, then the CRL. Returns
 * the inventory's "revocation" object. chain: the verified chain. */
json_object *nd_x509_revocation(X509 *leaf, X509 *issuer, X509_STORE *st, STACK_OF(X509) *chain,
                                const json_object *leaf_facts, struct nd_net *net,
                                const char *cache_dir);
/* Revocation of a CA certificate of the verified chain by its issuer's CRL
 * (the CA's distribution points; no OCSP). Returns chain[i].revocation:
 * {status good|revoked|unknown, method "crl", url, reason, date,
 * this_update, next_update, cached, crl_signature; error (offline, no_crl,
 * or the CRL's or the network's word), detail when unknown}. */
json_object *nd_x509_ca_revocation(X509 *ca, X509 *issuer, struct nd_net *net, const char *cache_dir);

#endif
