# Fuzz harnesses of the pcsc layer: the ATR parser (+ identification) and
# the smartcard_list.txt reader (+ its pattern matcher). libFuzzer writes
# what it finds into the build tree and only reads the committed seeds, so a
# test run leaves the source tree as it was.
function(nd_fuzz_pcsc name src)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -Wno-missing-prototypes)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE ndcore)
  set(seeds ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${name})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/corpus-${name})
  file(MAKE_DIRECTORY ${work})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      $<TARGET_FILE:${name}> -max_total_time=10 -rss_limit_mb=1024 -timeout=5 ${work} ${seeds})
  set_tests_properties(${name} PROPERTIES TIMEOUT 60 LABELS fuzz)
endfunction()

nd_fuzz_pcsc(fuzz_pcsc_atr fuzz_pcsc_atr.c)
nd_fuzz_pcsc(fuzz_pcsc_cardlist fuzz_pcsc_cardlist.c)
