/* Temporary entry point while vgrun is being written (replaced in this
 * session's next commits). */
#include <stdio.h>
int main(void)
{
    fputs("vgrun: not built yet\n", stderr);
    return 1;
}
