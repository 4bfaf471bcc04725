/*
 * job_default.c - the built-in default job: the text of
 * examples/default.yaml, parsed like any job, so it is built from the same
 * sources and transitions as a job file (tests/test_job_parse.c checks the
 * two agree, and tests/test_vgrun.c computes its frames independently).
 */
#include <stddef.h>

#include "job/job_internal.h"

/* testsrc for 6 s, the last 2 of them crossfading into bars, which then run
 * to the end: the fade covers frames 120..179.  A zoom from 1.0 to 1.5
 * towards the centre over the whole video, and a light blur. */
static const char default_job[] = "width: 1920\n"
                                  "height: 1080\n"
                                  "fps: 30\n"
                                  "frames: 300\n"
                                  "matrix: bt709\n"
                                  "range: limited\n"
                                  "clips:\n"
                                  "  - pattern: testsrc\n"
                                  "    frames: 180\n"
                                  "  - pattern: bars\n"
                                  "    frames: 180\n"
                                  "    transition: {type: crossfade, frames: "
                                  "60}\n"
                                  "camera:\n"
                                  "  from: {zoom: 1.0}\n"
                                  "  to: {zoom: 1.5}\n"
                                  "blur: 1\n";

int vg_job_create_default(vg_job **out)
{
    char err[256];
    /* The text is fixed and valid: only memory can run out. */
    int rc = vg_job_load_string(default_job, "the built-in job", NULL, out, err,
                                sizeof err);
    return rc == 0 ? 0 : VG_ERR_NO_MEMORY;
}
