# Sourced (from the repository root) by the bench scripts that run the server as the image and the chart do:
# sets image_flags to -XX:MaxRAM=256m (the chart's memory limit, which the AOT caches are trained under) and the JVM
# flags that the image, the chart and the caches' training share: pom.xml's aot.jvm.flags, which WorkflowsTest keeps
# equal to the Dockerfile's JVM_FLAGS. A JVM only uses a cache trained with its own flags, so they are read here
# rather than copied into each script.
read -ra image_flags <<< "$(sed -n 's:.*<aot.jvm.flags>\(.*\)</aot.jvm.flags>.*:\1:p' pom.xml)"
((${#image_flags[@]})) || { echo "no <aot.jvm.flags> in pom.xml" >&2; exit 1; }
image_flags=(-XX:MaxRAM=256m "${image_flags[@]}")
