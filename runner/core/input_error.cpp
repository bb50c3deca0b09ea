#include "core/input_error.hpp"
