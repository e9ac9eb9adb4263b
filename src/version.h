#ifndef PWB_VERSION_H
#define PWB_VERSION_H
#define PWB_VERSION "0.1.0"
#endif
