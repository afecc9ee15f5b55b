package io.nativesidecar.conversion;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShallowCopyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every bean property, including ones a later fabric8 adds, must end up in the copy as the very
     * same object; otherwise the engine would silently drop fields of the pods it converts.
     */
    @ParameterizedTest
    @ValueSource(classes = {Pod.class, ObjectMeta.class, PodSpec.class, Container.class, Lifecycle.class})
    void copiesEveryPropertyByReference(Class<?> type) throws Exception {
        Object original = populated(type);
        Object copy = ShallowCopy.of(original);

        assertThat(copy).isNotSameAs(original).isEqualTo(original);
        int checked = 0;
        for (Method getter : type.getMethods()) {
            if (isGetter(getter) && hasSetter(type, getter)) {
                assertThat(getter.invoke(copy)).as(getter.getName()).isSameAs(getter.invoke(original));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(2);
    }

    @ParameterizedTest
    @ValueSource(classes = {PodSpec.class, Container.class})
    void unknownFieldsSurviveTheCopy(Class<?> type) throws Exception {
        Object original = JSON.readValue("{\"name\":\"x\",\"futureField\":{\"a\":1}}", type);
        assertThat(JSON.valueToTree(ShallowCopy.of(original)).get("futureField")).isNotNull();
    }

    /** Properties of primitive types and ones inherited from a superclass are copied too. */
    @org.junit.jupiter.api.Test
    void copiesPrimitiveAndInheritedProperties() {
        Derived original = new Derived();
        original.setCount(7);
        original.setReady(true);
        original.setName("inherited");

        Derived copy = ShallowCopy.of(original);

        assertThat(copy).isNotSameAs(original);
        assertThat(copy.getCount()).isEqualTo(7);
        assertThat(copy.isReady()).isTrue();
        assertThat(copy.getName()).isSameAs("inherited");
    }

    public static class Base {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    public static class Derived extends Base {
        private int count;
        private boolean ready;

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public boolean isReady() {
            return ready;
        }

        public void setReady(boolean ready) {
            this.ready = ready;
        }
    }

    /** An instance whose every settable property holds a distinct non-null value. */
    private static Object populated(Class<?> type) throws Exception {
        Object instance = type.getConstructor().newInstance();
        for (Method setter : type.getMethods()) {
            if (!setter.getName().startsWith("set") || setter.getParameterCount() != 1 || Modifier.isStatic(setter.getModifiers())) {
                continue;
            }
            Class<?> valueType = setter.getParameterTypes()[0];
            Object value = sample(valueType, setter.getName());
            if (value != null) {
                setter.invoke(instance, value);
            }
        }
        return instance;
    }

    private static Object sample(Class<?> valueType, String name) throws Exception {
        if (valueType == String.class) {
            return name;
        }
        if (valueType == Boolean.class) {
            return Boolean.TRUE;
        }
        if (valueType == Long.class) {
            return 7L;
        }
        if (valueType == Integer.class) {
            return 7;
        }
        if (valueType == List.class) {
            return new java.util.ArrayList<>(List.of());
        }
        if (valueType == java.util.Map.class) {
            return new java.util.LinkedHashMap<>(java.util.Map.of(name, name));
        }
        try {
            return valueType.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private static boolean hasSetter(Class<?> type, Method getter) {
        try {
            type.getMethod("set" + getter.getName().substring(3), getter.getReturnType());
            return true;
        } catch (NoSuchMethodException computedOnly) {
            return false;
        }
    }

    private static boolean isGetter(Method method) {
        return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                && method.getName().startsWith("get") && !method.getName().equals("getClass");
    }
}
