/* A library the missing-dependency test plugin links against; it is not on
 * the loader's path at run time (no rpath), so dlopen fails with "cannot
 * open shared object file" naming this library. */
int vg_gone_dependency_value(void);
__attribute__((visibility("default"))) int vg_gone_dependency_value(void)
{
    return 42;
}
