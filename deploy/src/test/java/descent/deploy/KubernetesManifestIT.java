package descent.deploy;

import static descent.deploy.StandaloneClusterIT.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/submit-k8s.sh} and {@code deploy/k8s/spark-application.yaml} describe the same
 * run: with the manifest's image, namespace, service account, sizes, volume and arguments in the
 * script's environment, the spark-submit command the script builds carries the same Spark
 * properties as the manifest, plus those of {@code spark-defaults.conf}. The script runs against a
 * stand-in spark-submit that prints its arguments; no Kubernetes cluster is involved.
 */
class KubernetesManifestIT {
  static final Path WORK = Path.of(System.getProperty("descent.it.dir", ROOT + "/deploy/target/it"))
      .toAbsolutePath().normalize();

  @Test
  void scriptRendersTheManifestsOptions() throws Exception {
    JsonNode app = new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve("deploy/k8s/spark-application.yaml").toFile());
    assertEquals("sparkoperator.k8s.io/v1beta2", app.path("apiVersion").asText());
    assertEquals("SparkApplication", app.path("kind").asText());
    JsonNode spec = app.path("spec");
    assertEquals("Java", spec.path("type").asText());
    assertEquals("cluster", spec.path("mode").asText());
    JsonNode driver = spec.path("driver");
    JsonNode executor = spec.path("executor");
    JsonNode claim = spec.path("volumes").path(0);
    assertEquals(claim.path("name").asText(), driver.path("volumeMounts").path(0).path("name").asText());
    assertEquals(claim.path("name").asText(), executor.path("volumeMounts").path(0).path("name").asText());
    String mount = driver.path("volumeMounts").path(0).path("mountPath").asText();
    assertEquals(mount, executor.path("volumeMounts").path(0).path("mountPath").asText());

    Files.createDirectories(WORK);
    Path stub = WORK.resolve("print-spark-submit.sh");
    Files.writeString(stub, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of("bash",
        ROOT.resolve("deploy/submit-k8s.sh").toString(), "k8s://https://127.0.0.1:6443", "--"));
    spec.path("arguments").forEach(a -> command.add(a.asText()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SPARK_SUBMIT", stub.toString());
    env.put("DESCENT_IMAGE", spec.path("image").asText());
    env.put("K8S_NAMESPACE", app.path("metadata").path("namespace").asText());
    env.put("K8S_SERVICE_ACCOUNT", driver.path("serviceAccount").asText());
    env.put("NUM_EXECUTORS", executor.path("instances").asText());
    env.put("EXECUTOR_CORES", executor.path("cores").asText());
    env.put("EXECUTOR_MEMORY", executor.path("memory").asText());
    env.put("DRIVER_MEMORY", driver.path("memory").asText());
    env.put("DESCENT_PVC", claim.path("persistentVolumeClaim").path("claimName").asText());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> args = out.lines().toList();

    // What spark-submit receives: --properties-file, then the options, the jar and the arguments.
    Map<String, String> rendered = new TreeMap<>();
    int i = 0;
    String jar = null;
    String mainClass = null;
    String propertiesFile = null;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--conf" -> {
          String[] kv = args.get(++i).split("=", 2);
          rendered.put(kv[0], kv[1]);
        }
        case "--class" -> mainClass = args.get(++i);
        case "--properties-file" -> propertiesFile = args.get(++i);
        case "--master", "--name" -> i++;
        case "--deploy-mode" -> rendered.put("spark.submit.deployMode", args.get(++i));
        default -> jar = a;
      }
      if (jar != null) {
        break;
      }
    }
    List<String> arguments = args.subList(i + 1, args.size());
    List<String> manifestArguments = new ArrayList<>();
    spec.path("arguments").forEach(a -> manifestArguments.add(a.asText()));
    assertEquals(manifestArguments, arguments);
    assertEquals(spec.path("mainClass").asText(), mainClass);
    assertEquals(spec.path("mainApplicationFile").asText(), jar);
    assertEquals(spec.path("mode").asText(), rendered.get("spark.submit.deployMode"));

    // The manifest's fields as the Spark properties the operator turns them into.
    Map<String, String> manifest = new TreeMap<>();
    manifest.put("spark.kubernetes.container.image", spec.path("image").asText());
    manifest.put("spark.kubernetes.namespace", app.path("metadata").path("namespace").asText());
    manifest.put("spark.kubernetes.authenticate.driver.serviceAccountName",
        driver.path("serviceAccount").asText());
    manifest.put("spark.executor.instances", executor.path("instances").asText());
    manifest.put("spark.executor.cores", executor.path("cores").asText());
    manifest.put("spark.executor.memory", executor.path("memory").asText());
    manifest.put("spark.driver.memory", driver.path("memory").asText());
    for (String role : List.of("driver", "executor")) {
      String prefix = "spark.kubernetes." + role + ".volumes.persistentVolumeClaim.descent.";
      manifest.put(prefix + "options.claimName", claim.path("persistentVolumeClaim").path("claimName").asText());
      manifest.put(prefix + "mount.path", mount);
    }
    manifest.put("spark.submit.deployMode", spec.path("mode").asText());
    Map<String, String> renderedKnown = new TreeMap<>(rendered);
    renderedKnown.keySet().retainAll(manifest.keySet());
    assertEquals(manifest, renderedKnown, "the script and the manifest disagree");
    assertEquals(manifest.keySet(), rendered.keySet(), "the script sets properties the manifest lacks");
    // spark.driver.cores: the manifest's value is Spark's default, which the script leaves alone.
    assertEquals("1", driver.path("cores").asText());

    // The manifest's sparkConf equals what the script passes through spark-defaults.conf.
    assertEquals(ROOT.resolve("deploy/spark-defaults.conf").toString(), propertiesFile);
    Map<String, String> defaults = properties(ROOT.resolve("deploy/spark-defaults.conf"));
    Map<String, String> sparkConf = new TreeMap<>();
    spec.path("sparkConf").fields().forEachRemaining(e -> sparkConf.put(e.getKey(), e.getValue().asText()));
    Map<String, String> expected = new TreeMap<>(defaults);
    // spark.locality.wait and spark.speculation are Spark's defaults; the manifest may leave them out.
    expected.remove("spark.locality.wait");
    expected.remove("spark.speculation");
    // Properties of YARN only.
    expected.keySet().removeIf(k -> k.startsWith("spark.yarn."));
    // Security is on in the manifest (Kubernetes makes the secret per application) and commented
    // out in spark-defaults.conf, to be switched on per cluster.
    Map<String, String> security = new TreeMap<>(sparkConf);
    security.keySet().removeAll(expected.keySet());
    assertEquals(Map.of("spark.authenticate", "true", "spark.network.crypto.enabled", "true",
        "spark.io.encryption.enabled", "true"), security);
    Map<String, String> shared = new TreeMap<>(sparkConf);
    shared.keySet().retainAll(expected.keySet());
    assertEquals(expected, shared, "sparkConf differs from spark-defaults.conf");
  }

  /** The system property naming the Spark operator's SparkApplication CRD file. */
  static final String CRD_PROPERTY = "descent.sparkoperator.crd";

  /**
   * The manifest against the operator's own schema ({@code sparkoperator.k8s.io_sparkapplications.yaml}
   * of its Helm chart, version v1beta2), when {@code -Ddescent.sparkoperator.crd=FILE} names it;
   * skipped otherwise, since the file is the operator's and served by no package registry here.
   */
  @Test
  void manifestFollowsTheOperatorsSchema() throws Exception {
    String crdFile = System.getProperty(CRD_PROPERTY, "");
    org.junit.jupiter.api.Assumptions.assumeFalse(crdFile.isEmpty(), "-D" + CRD_PROPERTY
        + "=FILE names the operator's SparkApplication CRD; not given");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode schema = CrdSchema.versionSchema(yaml.readTree(Path.of(crdFile).toFile()), "v1beta2");
    JsonNode app = yaml.readTree(ROOT.resolve("deploy/k8s/spark-application.yaml").toFile());
    assertEquals(List.of(), CrdSchema.problems(app, schema));
    System.out.println("deploy/k8s/spark-application.yaml follows the v1beta2 schema of " + crdFile);
  }

  /**
   * The schema check itself, on a schema written here: a misspelled field, a count given as a
   * string, a missing required field and a value outside an enum are each named by their path;
   * int-or-string fields, maps and objects the schema leaves open take what they hold.
   */
  @Test
  void schemaCheckNamesWhatTheApiServerWouldRefuseOrDrop() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode schema = yaml.readTree(String.join("\n",
        "type: object",
        "properties:",
        "  metadata: {type: object}",
        "  spec:",
        "    type: object",
        "    required: [mainClass, type]",
        "    properties:",
        "      type: {type: string, enum: [Java, Scala, Python, R]}",
        "      mainClass: {type: string}",
        "      sparkConf: {type: object, additionalProperties: {type: string}}",
        "      arguments: {type: array, items: {type: string}}",
        "      executor:",
        "        type: object",
        "        properties:",
        "          instances: {type: integer, format: int32}",
        "          memory: {type: string}",
        "          coreRequest: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}"));
    JsonNode good = yaml.readTree(String.join("\n",
        "metadata: {name: a, labels: {x: y}}",
        "spec:",
        "  type: Java",
        "  mainClass: descent.jobs.Main",
        "  sparkConf: {spark.task.maxFailures: \"4\"}",
        "  arguments: [train, --epochs, \"5\"]",
        "  executor: {instances: 2, memory: 4g, coreRequest: 500m}"));
    assertEquals(List.of(), CrdSchema.problems(good, schema));
    JsonNode bad = yaml.readTree(String.join("\n",
        "metadata: {name: a}",
        "spec:",
        "  type: Jar",
        "  sparkConf: {spark.task.maxFailures: 4}",
        "  arguments: [train, --epochs, 5]",
        "  executor: {instances: \"2\", memroy: 4g, coreRequest: 0.5}"));
    assertEquals(List.of(
        "spec: the required field mainClass is missing",
        "spec.type: one of [\"Java\",\"Scala\",\"Python\",\"R\"], not \"Jar\"",
        "spec.sparkConf.spark.task.maxFailures: a string, not 4",
        "spec.arguments[2]: a string, not 5",
        "spec.executor.instances: an integer, not \"2\"",
        "spec.executor.memroy: no such field in the schema (the API server would drop it)",
        "spec.executor.coreRequest: an integer or a string, not 0.5"),
        CrdSchema.problems(bad, schema));
  }

  /** The properties of a spark-defaults.conf: key, whitespace, value; '#' comments. */
  static Map<String, String> properties(Path file) throws Exception {
    Map<String, String> props = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] kv = t.split("\\s+", 2);
      props.put(kv[0], kv[1].strip());
    }
    return props;
  }
}
