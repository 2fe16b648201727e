#pragma once

// Reads the JSON files given to `check` and merges them into one Estate.
// Each file is a snapshot (docs/snapshot-format.md) or JSON that az, ARM or
// Resource Graph print (docs/inputs.md); the form is recognised from the
// content. An argument of the form KIND=PATH says what a file holds, which
// is the only way to read an empty list, whose kind cannot be told.

#include "model/estate.hpp"
#include "util/error.hpp"

#include <string>
#include <vector>

namespace byos::input {

// Loads one argument (PATH or KIND=PATH) into `estate`. Warnings that do not
// stop the audit (an empty list of unknown kind) are appended to `warnings`.
Status load(std::string const& argument, model::Estate& estate,
            std::vector<std::string>& warnings);

// Loads JSON text that is already in memory; `name` stands for the file in
// errors and reports. `argument` semantics as above, without the path.
Status load_text(std::string_view text, std::string const& name,
                 model::Estate& estate, std::vector<std::string>& warnings,
                 std::string const& kind = {});

// Builds the indexes that need every file: which Speech accounts share a
// storage account. Call once, after the last load.
void finish(model::Estate& estate);

// The names KIND=PATH accepts, for help texts.
std::vector<std::string> kind_names();

}
