# Run by `cmake --install` (server/CMakeLists.txt) with KRING_WEB_DIR set to
# the installed web client: gzips each of its text files beside it, at the
# highest level and without a name or time inside, so that the same files
# make the same copies. The server sends a copy to a browser that takes
# gzip, if it is not older than its file (net/static_files.hpp).
if(NOT KRING_WEB_DIR)
  message(FATAL_ERROR "compress_web_client.cmake: KRING_WEB_DIR is not set")
endif()
find_program(KRING_GZIP gzip REQUIRED)
file(GLOB_RECURSE kring_web_files "${KRING_WEB_DIR}/*")
foreach(kring_file IN LISTS kring_web_files)
  if(kring_file MATCHES "\\.(html|js|css|json|svg)$")
    execute_process(COMMAND ${KRING_GZIP} -9 -n -k -f "${kring_file}" RESULT_VARIABLE kring_status)
    if(NOT kring_status EQUAL 0)
      message(FATAL_ERROR "gzip ${kring_file} failed: ${kring_status}")
    endif()
  endif()
endforeach()
