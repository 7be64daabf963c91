/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny PKCS#11 module that misbehaves on request, for the p11 tests.
 * NDTEST_MODE picks the misbehaviour:
 *
 *   ok           one slot "Virtual PCD 00 00" with token AKIS_00112233445566
 *   init_args    C_Initialize refuses any arguments (CKR_ARGUMENTS_BAD), as
 *                some AKIS builds do; C_Initialize(NULL) works
 *   init_fail    C_Initialize always fails (CKR_GENERAL_ERROR)
 *   hang_init    C_Initialize never returns
 *   hang_token   C_GetTokenInfo never returns
 *   crash_slots  C_GetSlotList dies of SIGSEGV
 *   exit_init    C_Initialize calls exit(3)
 *   garbage      token info full of junk: unterminated and NUL-padded
 *                strings, invalid UTF-8, control characters, absurd PIN
 *                lengths, flags in the high bits, an absurd mechanism count,
 *                an absurd attribute length
 *   bts_loop     C_GetSlotList answers CKR_BUFFER_TOO_SMALL forever
 *   holes        a function list with C_GetTokenInfo missing (NULL)
 *   locked       ok, but the PIN is locked
 *   fork_init    ok, but C_Initialize forks a helper "ndtest-helper" that
 *                sleeps 30 s holding every inherited descriptor (as vendor
 *                libraries that start a daemon do, without setsid); its pid
 *                goes to the file NDTEST_PIDFILE
 *   fork_hang    fork_init's helper, then C_Initialize never returns
 *   daemon_init  ok, but C_Initialize starts a proper daemon "ndtest-daemon"
 *                (fork, setsid, fork again, the middle one exits), which
 *                sleeps 30 s in a session of its own; its pid goes to
 *                NDTEST_PIDFILE
 *
 * With NDTEST_TRACE=FILE, C_Initialize and C_Finalize append "init PID MS"
 * and "fini PID MS" (CLOCK_MONOTONIC) to FILE, and with NDTEST_BUSY_MS=N
 * C_Initialize first works for N ms, as a module reading its card does:
 * the tests see when modules ran.
 *
 * With NDTEST_MODE_BY_NAME set, a copy of the module named
 * "badmod-MODE-ANYTHING.so" takes MODE from its own file name instead, so
 * that copies behaving differently can be probed in one run.
 *
 * Nothing here is meant as an example of a good module. */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

static const char *
mode(void)
{
	static char by_name[64];
	const char *m = getenv("NDTEST_MODE");
	Dl_info di;

	if (getenv("NDTEST_MODE_BY_NAME") && dladdr((void *)C_GetFunctionList, &di) && di.dli_fname) {
		const char *b = strrchr(di.dli_fname, '/'), *s;

		b = b ? b + 1 : di.dli_fname;
		if (strncmp(b, "badmod-", 7) == 0 && (s = strchr(b + 7, '-')) && (size_t)(s - b - 7) < sizeof by_name) {
			memcpy(by_name, b + 7, (size_t)(s - b - 7));
			by_name[s - b - 7] = 0;
			return by_name;
		}
	}
	return m ? m : "ok";
}

static int
is(const char *m)
{
	return strcmp(mode(), m) == 0;
}

static void
pad(unsigned char *dst, size_t n, const char *s)
{
	size_t k = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, k < n ? k : n);
}

/* the pid of a helper to NDTEST_PIDFILE, for the test to look for */
static void
note_pid(pid_t pid)
{
	const char *pf = getenv("NDTEST_PIDFILE");
	FILE *f;

	if (pid > 0 && pf && (f = fopen(pf, "w"))) {
		fprintf(f, "%d\n", (int)pid);
		fclose(f);
	}
}

static void
start_helper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, "ndtest-helper");
		sleep(30);
		_exit(0);
	}
	note_pid(pid);
}

static void
start_daemon(void)
{
	pid_t mid = fork();

	if (mid == 0) {
		pid_t d;

		setsid();
		d = fork();
		if (d == 0) {
			prctl(PR_SET_NAME, "ndtest-daemon");
			sleep(30);
			_exit(0);
		}
		note_pid(d);
		_exit(0);
	}
	if (mid > 0)
		waitpid(mid, NULL, 0);
}

static void
trace(const char *what)
{
	const char *f = getenv("NDTEST_TRACE");
	struct timespec ts;
	char line[96];
	int fd, n;

	if (!f)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof line, "%s %ld %lld\n", what, (long)getpid(),
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	fd = open(f, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		(void)!write(fd, line, (size_t)n);
		close(fd);
	}
}

static CK_RV
c_initialize(CK_VOID_PTR args)
{
	const char *busy = getenv("NDTEST_BUSY_MS");

	trace("init");
	if (busy)
		usleep((useconds_t)atoi(busy) * 1000);
	if (is("fork_init") || is("fork_hang"))
		start_helper();
	if (is("daemon_init"))
		start_daemon();
	if (is("fork_hang"))
		for (;;)
			pause();
	if (is("hang_init"))
		for (;;)
			pause();
	if (is("exit_init"))
		exit(3);
	if (is("init_fail"))
		return CKR_GENERAL_ERROR;
	if (is("init_args") && args)
		return CKR_ARGUMENTS_BAD;
	return CKR_OK;
}

static CK_RV
c_finalize(CK_VOID_PTR reserved)
{
	(void)reserved;
	trace("fini");
	return CKR_OK;
}

static CK_RV
c_get_info(CK_INFO_PTR info)
{
	memset(info, 0, sizeof *info);
	info->cryptokiVersion.major = 2;
	info->cryptokiVersion.minor = 20;
	pad(info->manufacturerID, sizeof info->manufacturerID, "nesdoctor tests");
	pad(info->libraryDescription, sizeof info->libraryDescription, "bad module");
	info->libraryVersion.major = 1;
	return CKR_OK;
}

static CK_RV
c_get_slot_list(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
	(void)present;
	if (is("crash_slots"))
		raise(SIGSEGV);
	if (is("bts_loop")) {
		if (list)
			return CKR_BUFFER_TOO_SMALL;
		*count = 1;
		return CKR_OK;
	}
	if (list) {
		if (*count < 1)
			return CKR_BUFFER_TOO_SMALL;
		list[0] = 7;
	}
	*count = 1;
	return CKR_OK;
}

static CK_RV
c_get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
	if (slot != 7)
		return CKR_SLOT_ID_INVALID;
	memset(info, 0, sizeof *info);
	pad(info->slotDescription, sizeof info->slotDescription, "Virtual PCD 00 00");
	pad(info->manufacturerID, sizeof info->manufacturerID, "nesdoctor tests");
	info->flags = CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
	return CKR_OK;
}

static CK_RV
c_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	if (slot != 7)
		return CKR_SLOT_ID_INVALID;
	if (is("hang_token"))
		for (;;)
			pause();
	memset(info, 0, sizeof *info);
	pad(info->label, sizeof info->label, "AKIS_00112233445566");
	pad(info->manufacturerID, sizeof info->manufacturerID, "nesdoctor tests");
	pad(info->model, sizeof info->model, "bad module");
	pad(info->serialNumber, sizeof info->serialNumber, "0001");
	info->flags = CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED | CKF_LOGIN_REQUIRED;
	info->ulMinPinLen = 4;
	info->ulMaxPinLen = 8;
	if (is("locked"))
		info->flags |= CKF_USER_PIN_LOCKED;
	if (is("garbage")) {
		/* a C string with leftovers of an earlier one after its NUL */
		memcpy(info->label, "AKIS_\0\x01garbage\xff\xfe", 16);
		/* Latin-5 "ŞİFRE" bytes, a bell and an escape */
		memcpy(info->manufacturerID, "\xde\xdd" "FRE\x07\x1b[31m", 10);
		memset(info->manufacturerID + 10, 0, sizeof info->manufacturerID - 10);
		memset(info->model, 0, sizeof info->model);
		memcpy(info->serialNumber, "\xc3\x28\xe2\x82\x28 overlong \xc0\xaf", 16);
		info->ulMinPinLen = 99999;
		info->ulMaxPinLen = 3;
		info->flags |= (CK_FLAGS)1 << 40;
	}
	return CKR_OK;
}

static CK_RV
c_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
	static const CK_MECHANISM_TYPE m[] = { CKM_RSA_PKCS, CKM_SHA256_RSA_PKCS, CKM_SHA1_RSA_PKCS };
	CK_ULONG n = sizeof m / sizeof m[0];

	(void)slot;
	if (!list) {
		*count = is("garbage") ? 1000000000ul : n;
		return CKR_OK;
	}
	if (*count < n)
		return CKR_BUFFER_TOO_SMALL;
	memcpy(list, m, sizeof m);
	*count = n;
	return CKR_OK;
}

static CK_RV
c_get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
	(void)slot;
	(void)type;
	info->ulMinKeySize = 1024;
	info->ulMaxKeySize = 4096;
	info->flags = CKF_SIGN | CKF_HW;
	return CKR_OK;
}

static CK_RV
c_open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR h)
{
	(void)slot;
	(void)flags;
	(void)app;
	(void)notify;
	*h = 1;
	return CKR_OK;
}

static CK_RV
c_close_session(CK_SESSION_HANDLE h)
{
	(void)h;
	return CKR_OK;
}

static int found;

static CK_RV
c_find_objects_init(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
	CK_OBJECT_CLASS cls = CKO_DATA;

	(void)h;
	for (CK_ULONG i = 0; i < n; i++)
		if (t[i].type == CKA_CLASS && t[i].ulValueLen == sizeof cls)
			memcpy(&cls, t[i].pValue, sizeof cls);
	/* one certificate object, for the garbage mode's absurd length */
	found = is("garbage") && cls == CKO_CERTIFICATE;
	return CKR_OK;
}

static CK_RV
c_find_objects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR o, CK_ULONG max, CK_ULONG_PTR n)
{
	(void)h;
	*n = 0;
	if (found && max >= 1) {
		o[0] = 42;
		*n = 1;
		found = 0;
	}
	return CKR_OK;
}

static CK_RV
c_find_objects_final(CK_SESSION_HANDLE h)
{
	(void)h;
	return CKR_OK;
}

static CK_RV
c_get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n)
{
	(void)h;
	(void)o;
	if (n == 1 && t[0].type == CKA_VALUE && !t[0].pValue) {
		t[0].ulValueLen = 1ul << 40;   /* "my certificate is a terabyte" */
		return CKR_OK;
	}
	for (CK_ULONG i = 0; i < n; i++)
		t[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
	return CKR_ATTRIBUTE_TYPE_INVALID;
}

static CK_FUNCTION_LIST list;

CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out)
{
	list.version.major = 2;
	list.version.minor = 20;
	list.C_Initialize = c_initialize;
	list.C_Finalize = c_finalize;
	list.C_GetInfo = c_get_info;
	list.C_GetFunctionList = C_GetFunctionList;
	list.C_GetSlotList = c_get_slot_list;
	list.C_GetSlotInfo = c_get_slot_info;
	list.C_GetTokenInfo = is("holes") ? NULL : c_get_token_info;
	list.C_GetMechanismList = c_get_mechanism_list;
	list.C_GetMechanismInfo = c_get_mechanism_info;
	list.C_OpenSession = c_open_session;
	list.C_CloseSession = c_close_session;
	list.C_FindObjectsInit = c_find_objects_init;
	list.C_FindObjects = c_find_objects;
	list.C_FindObjectsFinal = c_find_objects_final;
	list.C_GetAttributeValue = c_get_attribute_value;
	*out = &list;
	return CKR_OK;
}
