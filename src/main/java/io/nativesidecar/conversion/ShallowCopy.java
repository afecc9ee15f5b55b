package io.nativesidecar.conversion;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a fabric8 model object one level deep: a new instance whose properties point at the same
 * values. The engine changes a few fields of a pod, so it copies only the objects on the path to
 * those fields instead of cloning the whole pod (builders and JSON round trips copy everything).
 * Properties are found by getter/setter pairs, so fields added by later fabric8 versions are copied too.
 */
final class ShallowCopy {

    private static final ClassValue<Copier> COPIERS = new ClassValue<>() {
        @Override
        protected Copier computeValue(Class<?> type) {
            return Copier.of(type);
        }
    };

    private ShallowCopy() {
    }

    @SuppressWarnings("unchecked")
    static <T> T of(T original) {
        return (T) COPIERS.get(original.getClass()).copy(original);
    }

    private record Copier(MethodHandle constructor, List<MethodHandle[]> properties) {

        static Copier of(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class));
                List<MethodHandle[]> properties = new ArrayList<>();
                for (Method setter : type.getMethods()) {
                    if (Modifier.isStatic(setter.getModifiers()) || !setter.getName().startsWith("set")
                            || setter.getParameterCount() != 1) {
                        continue;
                    }
                    Method getter = getter(type, setter.getName().substring(3), setter.getParameterTypes()[0]);
                    if (getter != null) {
                        properties.add(new MethodHandle[] {lookup.unreflect(getter), lookup.unreflect(setter)});
                    }
                }
                return new Copier(constructor, List.copyOf(properties));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot copy " + type.getName(), e);
            }
        }

        private static Method getter(Class<?> type, String property, Class<?> valueType) {
            for (String prefix : new String[] {"get", "is"}) {
                try {
                    Method getter = type.getMethod(prefix + property);
                    if (getter.getReturnType() == valueType) {
                        return getter;
                    }
                } catch (NoSuchMethodException absent) {
                    // try the next prefix
                }
            }
            return null;
        }

        Object copy(Object original) {
            try {
                Object copy = constructor.invoke();
                for (MethodHandle[] property : properties) {
                    property[1].invoke(copy, property[0].invoke(original));
                }
                return copy;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot copy " + original.getClass().getName(), e);
            }
        }
    }
}
