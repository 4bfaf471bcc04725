/*
 * fuzz_config.c - libFuzzer target: any bytes as a config file.
 *
 * The loader must answer every input with a config or an error message,
 * within the fixed limits of config files, without crashing or leaking.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[1024];
    vg_config *cfg = NULL;
    if (vg_config_load_string(text, "fuzz.yaml", &cfg, err, sizeof err) == 0 &&
        cfg->backend_count == 0)
        abort(); /* a loaded config always has a backend order */
    vg_config_destroy(&cfg);
    free(text);
    return 0;
}
