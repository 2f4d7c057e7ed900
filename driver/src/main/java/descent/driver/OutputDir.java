package descent.driver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * A directory that descent writes whole files into (model.json, the metrics, the report) and
 * reads them back from: a local path, or a directory of any Hadoop file system (HDFS, S3)
 * named by a URI such as {@code hdfs://namenode:8020/runs/a9a}.
 *
 * <p>A location is a Hadoop URI when it starts with a scheme and a slash ({@code hdfs:/},
 * {@code s3a://}); {@code file:} URIs and everything else (with no scheme) are local paths, read
 * and written with {@code java.nio}, so a path without a scheme is on this machine's disk even
 * when {@code fs.defaultFS} names HDFS.
 *
 * <p>{@link #writeAtomically} writes a file under a temporary name in the same directory and
 * then renames it over the old one, so a reader sees the old file or the new one, never part of
 * one: on a local disk with an atomic move; on HDFS with {@code FileContext}'s rename with
 * {@code OVERWRITE}, which the NameNode carries out as one operation (HDFS's plain rename never
 * replaces a file). On a file system with no {@code FileContext} binding the old file is deleted
 * and then the new one renamed: a failure between the two leaves no file under the final name
 * and the complete new one under the temporary name, never a partial file under the final name.
 */
public interface OutputDir {
  /** A scheme (two characters at least, so that {@code C:} is none) followed by a slash. */
  Pattern HADOOP_URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:/.*");

  /** The directory that {@code location} names: a local path or a Hadoop URI (see above). */
  static OutputDir of(String location) {
    return isLocal(location) ? new Local(localPath(location)) : new Hadoop(location);
  }

  /** The local directory {@code dir}. */
  static OutputDir of(Path dir) {
    return new Local(dir);
  }

  /** Whether {@code location} is read and written with java.nio (no scheme, or {@code file:}). */
  static boolean isLocal(String location) {
    return !HADOOP_URI.matcher(location).matches() || location.regionMatches(true, 0, "file:", 0, 5);
  }

  /** The local path of a location for which {@link #isLocal} holds. */
  static Path localPath(String location) {
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      return Path.of(new org.apache.hadoop.fs.Path(location).toUri().getPath());
    }
    return Path.of(location);
  }

  /** The directory holding the file {@code location}: its parent (the working directory for a
   * bare local file name). */
  static OutputDir parentOf(String location) {
    if (isLocal(location)) {
      Path parent = localPath(location).getParent();
      return new Local(parent == null ? Path.of("") : parent);
    }
    String trimmed = Hadoop.trim(location);
    return new Hadoop(trimmed.substring(0, trimmed.lastIndexOf('/') + 1));
  }

  /** The name of the file {@code location} within {@link #parentOf}. */
  static String nameOf(String location) {
    if (isLocal(location)) {
      return localPath(location).getFileName().toString();
    }
    String trimmed = Hadoop.trim(location);
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /** The file {@code name} in this directory, as printed in messages. */
  String file(String name);

  /** The directory as an absolute, normalized path or a fully qualified URI. */
  String absolute() throws IOException;

  /** Whether anything (a file or a directory) exists at this directory's location. */
  boolean exists() throws IOException;

  /** Whether this directory exists and is a directory. */
  boolean isDirectory() throws IOException;

  /** Whether {@code name} in this directory exists and is a file. */
  boolean isFile(String name) throws IOException;

  /** Creates this directory and its parents when missing. */
  void create() throws IOException;

  /** A new (or truncated) file {@code name} to write. */
  OutputStream newOutputStream(String name) throws IOException;

  /** The file {@code name} to read. */
  InputStream newInputStream(String name) throws IOException;

  /** Renames {@code from} to {@code to}, replacing a file {@code to} (see the class comment). */
  void replace(String from, String to) throws IOException;

  /** Deletes the file {@code name} when it exists. */
  void deleteIfExists(String name) throws IOException;

  /** Writes {@code bytes} to a temporary sibling of {@code name}, then renames it to {@code name}. */
  default void writeAtomically(String name, byte[] bytes) throws IOException {
    String tmp = "." + name + ".tmp";
    try (OutputStream out = newOutputStream(tmp)) {
      out.write(bytes);
    }
    replace(tmp, name);
  }

  /** The whole file {@code name}. */
  default byte[] readAllBytes(String name) throws IOException {
    try (InputStream in = newInputStream(name)) {
      return in.readAllBytes();
    }
  }

  /** A directory on this machine's disk, through java.nio. */
  record Local(Path dir) implements OutputDir {
    @Override
    public String file(String name) {
      return dir.resolve(name).toString();
    }

    @Override
    public String absolute() {
      return dir.toAbsolutePath().normalize().toString();
    }

    @Override
    public boolean exists() {
      return Files.exists(dir);
    }

    @Override
    public boolean isDirectory() {
      return Files.isDirectory(dir);
    }

    @Override
    public boolean isFile(String name) {
      return Files.isRegularFile(dir.resolve(name));
    }

    @Override
    public void create() throws IOException {
      Files.createDirectories(dir.toAbsolutePath());
    }

    @Override
    public OutputStream newOutputStream(String name) throws IOException {
      return Files.newOutputStream(dir.resolve(name));
    }

    @Override
    public InputStream newInputStream(String name) throws IOException {
      return Files.newInputStream(dir.resolve(name));
    }

    @Override
    public void replace(String from, String to) throws IOException {
      Path source = dir.resolve(from);
      Path target = dir.resolve(to);
      try {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }

    @Override
    public void deleteIfExists(String name) throws IOException {
      Files.deleteIfExists(dir.resolve(name));
    }

    @Override
    public String toString() {
      return dir.toString();
    }
  }

  /**
   * A directory of a Hadoop file system, configured as Hadoop clients are (the
   * {@code core-site.xml} and {@code hdfs-site.xml} on the classpath, which spark-submit puts
   * there from {@code HADOOP_CONF_DIR}).
   */
  final class Hadoop implements OutputDir {
    private final String location;
    private final org.apache.hadoop.fs.Path dir;
    private final Configuration conf;
    private FileSystem fs;

    Hadoop(String location) {
      this.location = trim(location);
      this.dir = new org.apache.hadoop.fs.Path(this.location);
      this.conf = new Configuration();
    }

    /** {@code location} without trailing slashes (but a root keeps its own). */
    static String trim(String location) {
      int path = location.indexOf(':') + 1;
      if (location.startsWith("//", path)) {
        path = location.indexOf('/', path + 2);
        if (path < 0) {
          return location;
        }
      }
      String s = location;
      while (s.length() > path + 1 && s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      return s;
    }

    private FileSystem fs() throws IOException {
      if (fs == null) {
        fs = dir.getFileSystem(conf);
      }
      return fs;
    }

    private org.apache.hadoop.fs.Path child(String name) {
      return new org.apache.hadoop.fs.Path(dir, name);
    }

    private FileStatus status(org.apache.hadoop.fs.Path p) throws IOException {
      try {
        return fs().getFileStatus(p);
      } catch (FileNotFoundException e) {
        return null;
      }
    }

    @Override
    public String file(String name) {
      return location.endsWith("/") ? location + name : location + "/" + name;
    }

    @Override
    public String absolute() throws IOException {
      return fs().makeQualified(dir).toString();
    }

    @Override
    public boolean exists() throws IOException {
      return status(dir) != null;
    }

    @Override
    public boolean isDirectory() throws IOException {
      FileStatus s = status(dir);
      return s != null && s.isDirectory();
    }

    @Override
    public boolean isFile(String name) throws IOException {
      FileStatus s = status(child(name));
      return s != null && s.isFile();
    }

    @Override
    public void create() throws IOException {
      if (!fs().mkdirs(dir)) {
        throw new IOException("could not create the directory " + location);
      }
    }

    @Override
    public OutputStream newOutputStream(String name) throws IOException {
      return fs().create(child(name), true);
    }

    @Override
    public InputStream newInputStream(String name) throws IOException {
      return fs().open(child(name));
    }

    @Override
    public void replace(String from, String to) throws IOException {
      FileSystem f = fs();
      org.apache.hadoop.fs.Path source = f.makeQualified(child(from));
      org.apache.hadoop.fs.Path target = f.makeQualified(child(to));
      FileContext context;
      try {
        context = FileContext.getFileContext(f.getUri(), conf);
      } catch (UnsupportedFileSystemException e) {
        context = null;
      }
      if (context != null) {
        context.rename(source, target, Options.Rename.OVERWRITE);
        return;
      }
      f.delete(target, false);
      if (!f.rename(source, target)) {
        throw new IOException("could not rename " + source + " to " + target);
      }
    }

    @Override
    public void deleteIfExists(String name) throws IOException {
      fs().delete(child(name), false);
    }

    @Override
    public String toString() {
      return location;
    }
  }
}
