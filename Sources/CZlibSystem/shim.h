#ifndef ICL_CZLIB_SHIM_H
#define ICL_CZLIB_SHIM_H
#include <zlib.h>
#endif
