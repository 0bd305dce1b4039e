# SPDX-License-Identifier: GPL-3.0-or-later
# Renders every variant of the generated sample with two jobs, keeping the JSON Lines stream
# in LOG for tst_sample_outputs. A stale output folder from an earlier run is removed first.
foreach(var CLI PROJECT OUT_DIR LOG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "render_sample.cmake needs -D${var}=...")
  endif()
endforeach()
file(REMOVE_RECURSE "${OUT_DIR}")
file(REMOVE "${LOG}")
string(TIMESTAMP started "%s")
execute_process(COMMAND "${CLI}" render "${PROJECT}" --out "${OUT_DIR}" --progress jsonl --jobs 2
  RESULT_VARIABLE rc OUTPUT_FILE "${LOG}" ERROR_VARIABLE err TIMEOUT 1750)
string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")
message("campaign-cli render: exit ${rc} after ${seconds} s")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "campaign-cli render failed (${rc}):\n${err}")
endif()
