/*
 * Symbolic backtraces (backtrace.h): function symbols from a program's ELF
 * file and the lines naming them; the walk of a stopped thread's frames is
 * the architecture's (arch/<arch>/src/backtrace.c).
 */
#include <backtrace.h>
#include <common/elf.h>
#include <exc.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX (16u << 20)

/** Reads all of @a path into a new buffer. */
static errno_t file_read_all(const char *path, void **out, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return ENOENT;
	off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *buf = end > 0 && end <= (off_t) FILE_MAX ? malloc((size_t) end) : NULL;
	errno_t rc = buf != NULL && lseek(fd, 0, SEEK_SET) == 0 ? EOK : ENOMEM;
	size_t got = 0;
	while (rc == EOK && got < (size_t) end) {
		ssize_t n = read(fd, buf + got, (size_t) end - got);
		if (n <= 0)
			rc = EIO;
		else
			got += (size_t) n;
	}
	close(fd);
	if (rc != EOK) {
		free(buf);
		return rc;
	}
	*out = buf;
	*size = got;
	return EOK;
}

errno_t elf_symbols_load(const char *path, elf_symbols_t *syms)
{
	void *image;
	size_t size;
	memset(syms, 0, sizeof(*syms));
	errno_t rc = file_read_all(path, &image, &size);
	if (rc != EOK)
		return rc;
	rc = elf_symbols_parse(image, size, syms);
	if (rc != EOK)
		elf_symbols_free(syms);
	return rc;
}

errno_t backtrace_program_path(const char *name, char *path, size_t size)
{
	static const char *const dirs[] = {"/app", "/srv", "/drv", "/test"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, size, "%s/%s", dirs[i], name);
		int fd = open(path, O_RDONLY);
		if (fd >= 0) {
			close(fd);
			return EOK;
		}
	}
	return ENOENT;
}

void backtrace_frame_line(uintptr_t ip, unsigned n, const elf_symbols_t *syms,
    backtrace_line_fn_t line, void *arg)
{
	char text[128];
	uintptr_t off = 0;
	/* A return address may lie just past its function (a call to a function
	 * that never returns ends it): outer frames are looked up by the call. */
	uintptr_t at = n > 0 ? ip - 1 : ip;
	const char *name = syms != NULL ? elf_symbols_find(syms, at, &off) : NULL;
	off += ip - at;
	if (name != NULL)
		snprintf(text, sizeof(text), "  #%u %#lx in %s+%#lx", n,
		    (unsigned long) ip, name, (unsigned long) off);
	else
		snprintf(text, sizeof(text), "  #%u %#lx", n, (unsigned long) ip);
	line(arg, text);
}
