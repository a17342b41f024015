# Run by `cmake --install` (server/CMakeLists.txt), before
# compress_web_client.cmake, with KRING_WEB_DIR set to the installed web
# client. esbuild (Debian's esbuild package) bundles its modules and
# minifies them and the style sheets into a few files named by their content
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
# The sheets index.html links, in its order, become one: style-HASH.css.
file(READ "${KRING_WEB_DIR}/index.html" kring_page)
string(REGEX MATCHALL "<link rel=\"stylesheet\" href=\"[a-z_]+\\.css\">\n?" kring_links "${kring_page}")
if(NOT kring_links)
  message(FATAL_ERROR "index.html links no style sheet as bundle_web_client.cmake expects")
endif()
set(kring_sheets "")
foreach(kring_link IN LISTS kring_links)
  string(REGEX REPLACE ".*href=\"([a-z_]+\\.css)\".*" "\\1" kring_sheet "${kring_link}")
  string(APPEND kring_sheets "@import url(\"../../${kring_sheet}\");\n")
endforeach()
file(WRITE "${kring_bundles}/entry/style.css" "${kring_sheets}")
execute_process(
  COMMAND ${KRING_ESBUILD} .bundles/entry/style.css --bundle --minify --external:*.woff2 --outdir=${kring_bundles}
          --entry-names=[name]-[hash] --log-level=warning
  WORKING_DIRECTORY "${KRING_WEB_DIR}" RESULT_VARIABLE kring_status)
file(REMOVE_RECURSE "${kring_bundles}/entry")
if(NOT kring_status EQUAL 0)
  message(FATAL_ERROR "esbuild could not bundle the style sheets: ${kring_status}")
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

string(REPLACE "src=\"app.js\"" "src=\"${kring_app_name}\"" kring_bundled "${kring_page}")
list(POP_FRONT kring_links kring_first_link)
string(REPLACE "${kring_first_link}" "<link rel=\"stylesheet\" href=\"${kring_style_name}\">\n" kring_bundled "${kring_bundled}")
foreach(kring_link IN LISTS kring_links)
  string(REPLACE "${kring_link}" "" kring_bundled "${kring_bundled}")
endforeach()
if(NOT kring_bundled MATCHES "src=\"${kring_app_name}\"")
  message(FATAL_ERROR "index.html does not load app.js as bundle_web_client.cmake expects")
endif()

# The modules and the sheets give way to their bundles; the page, its
# catalogs, the font and the icon stay as they are.
file(GLOB kring_modules "${KRING_WEB_DIR}/*.js" "${KRING_WEB_DIR}/*.css")
file(REMOVE ${kring_modules})
file(GLOB kring_made "${kring_bundles}/*")
file(COPY ${kring_made} DESTINATION "${KRING_WEB_DIR}")
file(REMOVE_RECURSE "${kring_bundles}")
file(WRITE "${KRING_WEB_DIR}/index.html" "${kring_bundled}")
message(STATUS "web client bundled: ${kring_app_name}, ${kring_style_name}")
