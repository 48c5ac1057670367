/*
 * yaml_load.c - libyaml loaded on first use (why: yaml_impl.h).
 */
#include <yaml.h>

#include "vet/dl.h"
#define VET_YAML__LOADER
#include "yaml_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_YAML_SONAME > 1, "no soname of libyaml");

struct vet_yaml__lib vet_yaml__lib;

VET_DL_DEFINE_LOAD(vet_yaml__load, vet_yaml__lib, VET_YAML__FUNCS,
    VET_YAML_SONAME, "to read a YAML file")
