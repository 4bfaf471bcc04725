// cxx_linkage.cpp - a C++17 program calling libvg through its public
// headers.  Taking the address of one function of every header that declares
// functions makes the linker resolve each name: without extern "C" in that
// header the name would be C++-mangled and the link would fail.
#include <cstdio>
#include <cstring>

#include "vg/api.h"
#include "vg/backend.h"
#include "vg/config.h"
#include "vg/error.h"
#include "vg/image.h"
#include "vg/image_io.h"
#include "vg/job.h"
#include "vg/loader.h"
#include "vg/output_file.h"
#include "vg/params.h"
#include "vg/pixel_math.h"
#include "vg/plugin.h"
#include "vg/select.h"
#include "vg/version.h"
#include "vg/y4m.h"

namespace
{

struct named_function {
    const char *header;
    const void *address;
};

template <typename F> const void *address_of(F *function)
{
    return reinterpret_cast<const void *>(function);
}

} // namespace

int main()
{
    const named_function functions[] = {
        {"backend.h", address_of(vg_backend_open)},
        {"config.h", address_of(vg_config_create_default)},
        {"image.h", address_of(vg_plane_size)},
        {"image_io.h", address_of(vg_image_read)},
        {"job.h", address_of(vg_job_create_default)},
        {"loader.h", address_of(vg_search_path_create)},
        {"output_file.h", address_of(vg_output_file_open)},
        {"params.h", address_of(vg_blur_params_from_sigma)},
        {"select.h", address_of(vg_stage_name)},
        {"version.h", address_of(vg_version)},
        {"y4m.h", address_of(vg_y4m_open)},
    };
    int failures = 0;
    for (const named_function &f : functions) {
        if (!f.address) {
            std::printf("no function from %s\n", f.header);
            failures++;
        }
    }
    // The library the program loaded is the one the headers describe.
    if (std::strcmp(vg_version(), VG_VERSION_STRING) != 0 ||
        vg_version_number() != VG_VERSION_NUMBER) {
        std::printf("vg_version() %s (%d), headers %s (%d)\n", vg_version(),
                    vg_version_number(), VG_VERSION_STRING, VG_VERSION_NUMBER);
        failures++;
    }
    vg_config *cfg = nullptr;
    if (vg_config_create_default(&cfg) != 0 || !cfg) {
        std::printf("vg_config_create_default failed from C++\n");
        failures++;
    }
    vg_config_destroy(&cfg);
    return failures == 0 ? 0 : 1;
}
