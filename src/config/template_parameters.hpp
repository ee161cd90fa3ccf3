#pragma once
// A CloudFormation template's Parameters: the value each one takes here (the
// value given for it, else its Default), checked as CloudFormation checks it
// before it deploys anything (a Number must be a number; AllowedValues,
// AllowedPattern, MinLength/MaxLength, MinValue/MaxValue), and the values
// given checked against what the template declares.

#include <nlohmann/json.hpp>
#include <vector>

#include "config/intrinsics.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// `section`: the template's top-level Parameters, or nullptr when it has
/// none. Problems: a value CloudFormation would refuse, a value given for a
/// parameter the template does not declare (nor a pseudo parameter) or given
/// twice. Warnings: an AllowedPattern that cannot be checked here.
ParameterScope read_template_parameters(const nlohmann::json* section, const TemplateParameters& given,
                                        std::vector<Problem>& problems, std::vector<Problem>& warnings);

}  // namespace edgefetch::config::detail
