package io.floorgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads a store's YAML file into a validated {@link StoreConfig}, or throws one {@link ConfigException} that lists
 * every problem in the file with its line, column and field path. The format is described in edge-config/CONFIG.md.
 *
 * <p>The file is read as a tree of YAML nodes and never turned into objects by SnakeYAML, so no tag in the file
 * can make it build a class; size, aliases and nesting are bounded before and while parsing.
 */
public final class StoreConfigLoader {

    /** A large store's file is a few hundred kilobytes; one many times that is a mistake or an attack. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** The shipped example store, on the classpath. */
    public static final String DEMO_RESOURCE = "stores/demo-store.yaml";

    /** A store file needs few aliases if any; each alias of a list or mapping can multiply the work of reading. */
    private static final int MAX_COLLECTION_ALIASES = 20;
    /** The format nests five levels deep (zones, a zone, polygon, a point, a number); a little room above that. */
    private static final int MAX_NESTING_DEPTH = 16;
    /** Where a problem is in the YAML syntax rather than in a field. */
    private static final String SYNTAX_FIELD = "(yaml syntax)";

    private StoreConfigLoader() {
    }

    /** Loads a store file; secretEnv and hashKeyEnv are looked up in the process environment. */
    public static StoreConfig load(Path file) throws ConfigException, IOException {
        return load(file, System::getenv);
    }

    static StoreConfig load(Path file, Function<String, String> env) throws ConfigException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file, in, env);
        }
    }

    /**
     * Parses a store file's text.
     *
     * @param nameForMessages the file named in problems; relative paths in the file resolve against its directory
     */
    public static StoreConfig parse(Path nameForMessages, String yamlText) throws ConfigException {
        return parse(nameForMessages, yamlText, System::getenv);
    }

    /** @param env environment lookup for secretEnv and hashKeyEnv, returning null for an unset variable */
    static StoreConfig parse(Path nameForMessages, String yamlText, Function<String, String> env)
            throws ConfigException {
        if (yamlText.length() > MAX_FILE_BYTES) {
            throw tooLarge(nameForMessages);
        }
        SourceMap sourceMap = new SourceMap();
        Problems problems = new Problems(nameForMessages, sourceMap);
        Node root = compose(yamlText, problems);
        if (root == null && problems.isEmpty()) {
            problems.reportWholeFile("is empty; a store file needs at least store, floorPlan and zones");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.asList());
        }
        Optional<StoreConfig> draft = new StoreConfigReader(nameForMessages, sourceMap, env, baseDir(nameForMessages))
                .read(new NodeCursor(root, "", problems));
        draft.ifPresent(config -> StoreConfigValidator.validate(config, problems));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.asList());
        }
        return withSymmetricAdjacency(draft.orElseThrow());
    }

    /** Loads the demo store shipped in this jar ({@value #DEMO_RESOURCE}). */
    public static StoreConfig loadDemo() throws ConfigException, IOException {
        try (InputStream in = StoreConfigLoader.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IOException("classpath resource " + DEMO_RESOURCE + " is missing from the build");
            }
            return read(Path.of(DEMO_RESOURCE), in, System::getenv);
        }
    }

    /** Reads at most one byte more than the limit, so an endless or huge input is refused without reading it all. */
    private static StoreConfig read(Path file, InputStream in, Function<String, String> env)
            throws ConfigException, IOException {
        byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge(file);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw wholeFileProblem(file, "is not UTF-8 text");
        }
        return parse(file, text, env);
    }

    /** The file's node tree, or null when it is empty or unreadable as YAML (reported). */
    private static Node compose(String yamlText, Problems problems) {
        try {
            return new Yaml(new SafeConstructor(loaderOptions())).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = e.getContext() == null ? e.getProblem() : e.getContext() + "; " + e.getProblem();
            if (mark == null) {
                problems.reportWholeFile(message);
            } else {
                problems.report(mark, SYNTAX_FIELD, message);
            }
        } catch (YAMLException e) {
            // The limits of loaderOptions() end up here, without a position.
            problems.reportWholeFile(e.getMessage());
        }
        return null;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static Path baseDir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : file.toAbsolutePath();
    }

    private static ConfigException tooLarge(Path file) {
        return wholeFileProblem(file, "is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB, the limit for a"
                + " store file");
    }

    private static ConfigException wholeFileProblem(Path file, String message) {
        Problems problems = new Problems(file, new SourceMap());
        problems.reportWholeFile(message);
        return new ConfigException(problems.asList());
    }

    /**
     * A file lists each walkway once, from either side; routing needs it from both. If A lists B, B is adjacent to
     * A too.
     */
    private static StoreConfig withSymmetricAdjacency(StoreConfig config) {
        Map<String, Set<String>> adjacency = new LinkedHashMap<>();
        config.zones().forEach(zone -> adjacency.put(zone.id(), new LinkedHashSet<>(zone.adjacent())));
        config.zones().forEach(zone -> zone.adjacent().forEach(other -> adjacency.get(other).add(zone.id())));
        List<Zone> zones = config.zones().stream()
                .map(z -> new Zone(z.id(), z.name(), z.kind(), z.polygon(), List.copyOf(adjacency.get(z.id()))))
                .toList();
        return new StoreConfig(config.source(), config.storeId(), config.chainId(), config.name(), config.floorPlan(),
                zones, config.devices(), config.products(), config.pickup(), config.limits(), config.listeners(),
                config.ingest(), config.upstream(), config.retention(), config.sessions(), config.staff(),
                config.storage());
    }
}
