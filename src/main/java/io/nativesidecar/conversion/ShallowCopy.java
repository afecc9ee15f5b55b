package io.nativesidecar.conversion;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /**
     * A type's no-argument constructor and its properties' getter/setter pairs, as functional interfaces made by
     * {@link LambdaMetafactory}: plain interface calls, where a {@link MethodHandle} kept in a field (not a
     * constant) is invoked through the JDK's generic invokers each time: on JDK 25 those copies were ~10 % of a
     * hello review's CPU samples, against ~3 % on JDK 17 (bench/README.md).
     */
    private record Copier(Supplier<Object> constructor, List<Property> properties) {

        private record Property(Function<Object, Object> getter, BiConsumer<Object, Object> setter) {
        }

        static Copier of(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                List<Property> properties = new ArrayList<>();
                for (Method setter : type.getMethods()) {
                    if (Modifier.isStatic(setter.getModifiers()) || !setter.getName().startsWith("set")
                            || setter.getParameterCount() != 1) {
                        continue;
                    }
                    Method getter = getter(type, setter.getName().substring(3), setter.getParameterTypes()[0]);
                    if (getter != null) {
                        properties.add(new Property(function(lookup, lookup.unreflect(getter)),
                                biConsumer(lookup, lookup.unreflect(setter))));
                    }
                }
                return new Copier(supplier(lookup, lookup.findConstructor(type, MethodType.methodType(void.class))),
                        List.copyOf(properties));
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
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

        @SuppressWarnings("unchecked")
        private static Supplier<Object> supplier(MethodHandles.Lookup lookup, MethodHandle constructor) throws Throwable {
            return (Supplier<Object>) LambdaMetafactory.metafactory(lookup, "get", MethodType.methodType(Supplier.class),
                    MethodType.methodType(Object.class), constructor, constructor.type()).getTarget().invoke();
        }

        @SuppressWarnings("unchecked")
        private static Function<Object, Object> function(MethodHandles.Lookup lookup, MethodHandle getter) throws Throwable {
            return (Function<Object, Object>) LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                    MethodType.methodType(Object.class, Object.class), getter, getter.type().wrap()).getTarget().invoke();
        }

        @SuppressWarnings("unchecked")
        private static BiConsumer<Object, Object> biConsumer(MethodHandles.Lookup lookup, MethodHandle setter) throws Throwable {
            return (BiConsumer<Object, Object>) LambdaMetafactory.metafactory(lookup, "accept", MethodType.methodType(BiConsumer.class),
                    MethodType.methodType(void.class, Object.class, Object.class), setter,
                    setter.type().wrap().changeReturnType(void.class)).getTarget().invoke();
        }

        Object copy(Object original) {
            Object copy = constructor.get();
            for (Property property : properties) {
                property.setter().accept(copy, property.getter().apply(original));
            }
            return copy;
        }
    }
}
