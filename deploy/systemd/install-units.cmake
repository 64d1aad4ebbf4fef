# SPDX-License-Identifier: MIT
# install-units — run by `cmake --install` (deploy/CMakeLists.txt sets
# JH_UNIT_TEMPLATES, JH_UNIT_WORK and JH_UNIT_BINDIR first): makes each unit from
# deploy/systemd/*.service.in for the prefix being installed to, then installs
# it into <prefix>/lib/systemd/system (file(INSTALL) honours DESTDIR).
#
# Templates use one variable:  @JH_BINDIR@  where the programs are, <prefix>/bin.
# Everything else in them is fixed on every box: /etc/jiaohao, /var/lib/jiaohao.
if(IS_ABSOLUTE "${JH_UNIT_BINDIR}")
  set(JH_BINDIR "${JH_UNIT_BINDIR}")
else()
  set(JH_BINDIR "${CMAKE_INSTALL_PREFIX}/${JH_UNIT_BINDIR}")
endif()
# A work directory of its own (installs into two places may run at once), removed after.
string(MD5 jh_key "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}")
set(jh_work "${JH_UNIT_WORK}/${jh_key}")
file(GLOB jh_templates "${JH_UNIT_TEMPLATES}/*.service.in")
set(jh_units "")
foreach(t IN LISTS jh_templates)
  get_filename_component(name "${t}" NAME)
  string(REGEX REPLACE "\\.in$" "" name "${name}")
  configure_file("${t}" "${jh_work}/${name}" @ONLY)
  list(APPEND jh_units "${jh_work}/${name}")
endforeach()
if(NOT jh_units)
  message(FATAL_ERROR "no unit templates in ${JH_UNIT_TEMPLATES}")
endif()
file(INSTALL ${jh_units} DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(REMOVE_RECURSE "${jh_work}")
