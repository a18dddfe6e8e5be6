package org.autoenroll.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public surface of each library module, dumped by reflection and compared with the dump kept
 * in {@code src/test/resources/public-api/<module>.txt}: an accidental break of the API an
 * integrator builds on fails the build. An intended change regenerates the dump with
 * {@code -Dautoenroll.api.update=true} and shows in the commit's diff. Packages named
 * {@code internal} or {@code testkit} are not public API and are left out.
 */
class PublicApiTest {
    static Stream<Arguments> modules() {
        return Stream.of(
                Arguments.of("autoenroll-api", org.autoenroll.api.ErrorCode.class),
                Arguments.of("autoenroll-core", org.autoenroll.core.EnrollmentService.class),
                Arguments.of("autoenroll-kerberos", org.autoenroll.kerberos.KerberosAcceptor.class),
                Arguments.of("autoenroll-ldap", org.autoenroll.ldap.LdapDirectoryLookup.class),
                Arguments.of("autoenroll-ca", org.autoenroll.ca.BuiltInCa.class),
                Arguments.of("autoenroll-wstep", org.autoenroll.wstep.CepService.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void publicApi_isTheDumpKeptInTheRepository(String module, Class<?> anchor) throws Exception {
        String dump = String.join("\n", dump(anchor)) + "\n";
        Path kept = Path.of("src", "test", "resources", "public-api", module + ".txt");
        if (Boolean.getBoolean("autoenroll.api.update")) {
            Files.createDirectories(kept.getParent());
            Files.writeString(kept, dump, StandardCharsets.UTF_8);
        }
        String expected = Files.exists(kept) ? Files.readString(kept, StandardCharsets.UTF_8) : "";
        assertEquals(expected, dump, "the public API of " + module + " changed; if intended, run the tests with "
                + "-Dautoenroll.api.update=true and commit " + kept);
    }

    /** One sorted line per public type and member, in the JDK's generic notation. */
    static List<String> dump(Class<?> anchor) throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(root)) {
            lines.addAll(dumpClasses(root, anchor.getClassLoader()));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
                lines.addAll(dumpClasses(jar.getPath("/"), anchor.getClassLoader()));
            }
        }
        return lines.stream().sorted().toList();
    }

    private static List<String> dumpClasses(Path root, ClassLoader loader) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.startsWith("org/autoenroll/") && n.endsWith(".class"))
                    .filter(n -> !n.contains("/internal/") && !n.contains("/testkit/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, loader);
            if (!isVisible(type)) {
                continue;
            }
            String owner = type.getName();
            lines.add(owner + " : " + Modifier.toString(type.getModifiers() & ~Modifier.SYNCHRONIZED) + " "
                    + kind(type) + supertypes(type));
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (exposed(constructor.getModifiers())) {
                    String signature = constructor.toGenericString();
                    int open = signature.indexOf('(');
                    lines.add(owner + " : " + signature.substring(0, open).replace(owner, "<init>") + signature.substring(open));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (exposed(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                    lines.add(owner + " : " + method.toGenericString());
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (exposed(field.getModifiers()) && !field.isSynthetic()) {
                    lines.add(owner + " : " + field.toGenericString());
                }
            }
        }
        return lines;
    }

    /** Public, and every enclosing class public too. */
    private static boolean isVisible(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isRecord()) {
            return "record";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isInterface() ? "interface" : "class";
    }

    private static String supertypes(Class<?> type) {
        List<String> supers = new ArrayList<>();
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum() && !type.isRecord()) {
            supers.add(type.getGenericSuperclass().getTypeName());
        }
        Arrays.stream(type.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName).sorted().forEach(supers::add);
        return supers.isEmpty() ? "" : " extends " + supers.stream().collect(Collectors.joining(", "));
    }
}
