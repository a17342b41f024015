# Run by `cmake --install` (server/CMakeLists.txt), before
# compress_web_client.cmake, with KRING_WEB_DIR set to the installed web
# client. esbuild (Debian's esbuild package) bundles its modules and
# minifies them and the style sheet into a few files named by their content
# (app-3FFH6JNU.js, the moderators' own chunk apart, loaded only once one
# logs in), and index.html is pointed at them. A phone then fetches four
# files, not thirty, and keeps them: the server lets a browser cache a file
# whose name carries its content's hash for a year (net/static_files.hpp).
# Without esbuild the modules are served as they are in the source tree.
if(NOT KRING_WEB_DIR)
  message(FATAL_ERROR "bundle_web_client.cmake: KRING_WEB_DIR is not set")
endif()
find_program(KRING_ESBUILD esbuild)
if(NOT KRING_ESBUILD)
  message(STATUS "esbuild not found: the web client is installed as its modules, unbundled")
  return()
endif()

set(kring_bundles "${KRING_WEB_DIR}/.bundles")
file(REMOVE_RECURSE "${kring_bundles}")
execute_process(
  COMMAND ${KRING_ESBUILD} app.js --bundle --splitting --format=esm --minify --target=es2020
          --outdir=${kring_bundles} --entry-names=[name]-[hash] --chunk-names=[name]-[hash] --log-level=warning
  WORKING_DIRECTORY "${KRING_WEB_DIR}" RESULT_VARIABLE kring_status)
if(NOT kring_status EQUAL 0)
  message(FATAL_ERROR "esbuild could not bundle the web client: ${kring_status}")
endif()
execute_process(
  COMMAND ${KRING_ESBUILD} style.css --minify --outdir=${kring_bundles} --entry-names=[name]-[hash] --log-level=warning
  WORKING_DIRECTORY "${KRING_WEB_DIR}" RESULT_VARIABLE kring_status)
if(NOT kring_status EQUAL 0)
  message(FATAL_ERROR "esbuild could not minify the style sheet: ${kring_status}")
endif()

file(GLOB kring_app "${kring_bundles}/app-*.js")
file(GLOB kring_style "${kring_bundles}/style-*.css")
list(LENGTH kring_app kring_apps)
list(LENGTH kring_style kring_styles)
if(NOT kring_apps EQUAL 1 OR NOT kring_styles EQUAL 1)
  message(FATAL_ERROR "esbuild made ${kring_apps} app and ${kring_styles} style files, not one of each")
endif()
get_filename_component(kring_app_name "${kring_app}" NAME)
get_filename_component(kring_style_name "${kring_style}" NAME)

file(READ "${KRING_WEB_DIR}/index.html" kring_page)
string(REPLACE "src=\"app.js\"" "src=\"${kring_app_name}\"" kring_bundled "${kring_page}")
string(REPLACE "href=\"style.css\"" "href=\"${kring_style_name}\"" kring_bundled "${kring_bundled}")
if(kring_bundled STREQUAL kring_page OR NOT kring_bundled MATCHES "${kring_app_name}.*${kring_style_name}|${kring_style_name}.*${kring_app_name}")
  message(FATAL_ERROR "index.html does not name app.js and style.css as bundle_web_client.cmake expects")
endif()

# The modules and the sheet give way to their bundles; the page, its
# catalogs, the font and the icon stay as they are.
file(GLOB kring_modules "${KRING_WEB_DIR}/*.js" "${KRING_WEB_DIR}/style.css")
file(REMOVE ${kring_modules})
file(GLOB kring_made "${kring_bundles}/*")
file(COPY ${kring_made} DESTINATION "${KRING_WEB_DIR}")
file(REMOVE_RECURSE "${kring_bundles}")
file(WRITE "${KRING_WEB_DIR}/index.html" "${kring_bundled}")
message(STATUS "web client bundled: ${kring_app_name}, ${kring_style_name}")
