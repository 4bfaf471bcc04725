/*
 * text_file.c - one reader for every YAML file vg loads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/text_file.h"
#include "vg/error.h"

/* Grow by doubling, so a small file costs a small buffer; read one byte
 * past the cap to tell "exactly the cap" from "larger". */
int vg_read_text_file(const char *path, size_t max_size, const char *what,
                      char **text_out, size_t *size_out, char *err,
                      size_t err_size)
{
    *text_out = NULL;
    *size_out = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_diag_errorf(err, err_size, path, 0, 0, NULL, "cannot open: %s",
                       strerror(errno));
        return VG_ERR_IO;
    }
    char *text = NULL;
    size_t size = 0, capacity = 0;
    int rc = 0;
    for (;;) {
        if (size == capacity) {
            if (capacity > max_size) {
                vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                               "larger than %zu MiB: not a %s", max_size >> 20,
                               what);
                rc = VG_ERR_CONFIG;
                break;
            }
            size_t grown_capacity = capacity == 0 ? 8192 : capacity * 2;
            if (grown_capacity > max_size + 1)
                grown_capacity = max_size + 1;
            char *grown = realloc(text, grown_capacity + 1);
            if (!grown) {
                vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                               "out of memory");
                rc = VG_ERR_NO_MEMORY;
                break;
            }
            text = grown;
            capacity = grown_capacity;
        }
        size_t got = fread(text + size, 1, capacity - size, f);
        size += got;
        if (got == 0) {
            if (ferror(f)) {
                vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                               "cannot read: %s", strerror(errno));
                rc = VG_ERR_IO;
            } else if (size > max_size) {
                vg_diag_errorf(err, err_size, path, 0, 0, NULL,
                               "larger than %zu MiB: not a %s", max_size >> 20,
                               what);
                rc = VG_ERR_CONFIG;
            }
            break;
        }
    }
    fclose(f);
    if (rc != 0) {
        free(text);
        return rc;
    }
    text[size] = '\0';
    *text_out = text;
    *size_out = size;
    return 0;
}
