package io.nativesidecar.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/** What the benchmarks in io.nativesidecar.bench need of this package's package-private parts. */
public final class BenchAccess {

    private BenchAccess() {
    }

    /**
     * Registers Jackson's Blackbird module on the process's review mapper ({@link AdmissionJson#MAPPER}, the one the
     * reader and PodPatch use): must come before the mapper has built any (de)serializer, so first thing in a fresh JVM.
     */
    public static void blackbird() {
        AdmissionJson.MAPPER.registerModule(new BlackbirdModule());
    }

    public static ObjectMapper mapper() {
        return AdmissionJson.MAPPER;
    }
}
