/* SPDX-License-Identifier: BSD-2-Clause */
/* Before a module is loaded: is it a shared library for this machine? A
 * 32-bit AKIS build on a 64-bit system is the classic; the loader's own
 * message ("wrong ELF class: ELFCLASS32") means nothing to the person. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "p11/p11.h"
#include "p11/p11_int.h"

nd_err
nd_p11_elf_parse(const uint8_t *p, size_t n, struct nd_elf *e)
{
	struct nd_cur c;
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;

	memset(e, 0, sizeof *e);
	nd_cur_init(&c, p, n);
	if (!nd_cur_take(&c, ident, sizeof ident))
		return n >= 4 && memcmp(p, ELFMAG, SELFMAG) != 0 ? ND_ERR_PARSE : ND_ERR_TRUNCATED;
	if (memcmp(ident, ELFMAG, SELFMAG) != 0)
		return ND_ERR_PARSE;
	if (ident[EI_CLASS] == ELFCLASS32)
		e->bits = 32;
	else if (ident[EI_CLASS] == ELFCLASS64)
		e->bits = 64;
	else
		return ND_ERR_PARSE;
	if (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB)
		return ND_ERR_PARSE;
	e->endian = ident[EI_DATA];
	/* e_type and e_machine follow the identification in both classes */
	if (e->endian == ELFDATA2LSB) {
		nd_cur_u16le(&c, &type);
		nd_cur_u16le(&c, &machine);
	} else {
		nd_cur_u16be(&c, &type);
		nd_cur_u16be(&c, &machine);
	}
	if (!nd_cur_ok(&c))
		return ND_ERR_TRUNCATED;
	e->type = type;
	e->machine = machine;
	return ND_OK;
}

nd_err
nd_p11_elf_read(const char *path, struct nd_elf *e)
{
	uint8_t hdr[64];
	ssize_t k;
	int fd;
	nd_err rv;

	memset(e, 0, sizeof *e);
	/* O_NONBLOCK: a FIFO planted at the path must not hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? ND_ERR_NOT_FOUND
		    : errno == EACCES || errno == EPERM ? ND_ERR_ACCESS : ND_ERR_IO;
	do
		k = read(fd, hdr, sizeof hdr);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		rv = errno == EISDIR ? ND_ERR_PARSE : ND_ERR_IO;
	else
		rv = nd_p11_elf_parse(hdr, (size_t)k, e);
	close(fd);
	return rv;
}

void
nd_p11_elf_self(struct nd_elf *e)
{
	if (nd_p11_elf_read("/proc/self/exe", e) == ND_OK)
		return;
	memset(e, 0, sizeof *e);
	e->bits = sizeof(void *) == 8 ? 64 : 32;
	e->endian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
	e->type = ET_DYN;
#if defined(__x86_64__)
	e->machine = EM_X86_64;
#elif defined(__i386__)
	e->machine = EM_386;
#elif defined(__aarch64__)
	e->machine = EM_AARCH64;
#elif defined(__arm__)
	e->machine = EM_ARM;
#elif defined(__riscv)
	e->machine = EM_RISCV;
#elif defined(__powerpc64__)
	e->machine = EM_PPC64;
#elif defined(__s390x__)
	e->machine = EM_S390;
#endif
}

const char *
nd_p11_elf_machine(unsigned machine)
{
	switch (machine) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86-64";
	case EM_ARM: return "ARM";
	case EM_AARCH64: return "AArch64";
	case EM_RISCV: return "RISC-V";
	case EM_PPC: return "PowerPC";
	case EM_PPC64: return "PowerPC64";
	case EM_S390: return "S/390";
	case EM_MIPS: return "MIPS";
	case EM_LOONGARCH: return "LoongArch";
	}
	return NULL;
}

json_object *
nd_p11_elf_facts(const char *path)
{
	struct nd_elf e;
	json_object *o;
	const char *mach;
	char buf[16];

	if (!path || nd_p11_elf_read(path, &e) != ND_OK)
		return NULL;
	if (!(mach = nd_p11_elf_machine(e.machine))) {
		snprintf(buf, sizeof buf, "EM_%u", e.machine);
		mach = buf;
	}
	o = json_object_new_object();
	json_object_object_add(o, "bits", json_object_new_int((int)e.bits));
	json_object_object_add(o, "machine", json_object_new_string(mach));
	return o;
}
