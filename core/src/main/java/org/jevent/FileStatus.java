package org.jevent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a {@link StatWatcher} saw of its path (libev's {@code ev_statdata}, a {@code struct
 * stat}). A path that does not exist has {@code exists == false} and zeros elsewhere (libev
 * reports {@code st_nlink == 0}). Two values are equal when nothing the watcher compares
 * changed.
 *
 * @param exists       whether the path exists
 * @param size         {@code st_size}
 * @param lastModified {@code st_mtime}, as precise as the filesystem keeps it
 * @param lastChanged  {@code st_ctime}: also moves on permission, owner and link changes
 * @param mode         {@code st_mode}: file type and permission bits (0 where unknown)
 * @param inode        {@code st_ino} (0 where unknown): a new file under the same name differs
 * @param links        {@code st_nlink} (1 where unknown)
 * @param uid          {@code st_uid} (-1 where unknown)
 * @param gid          {@code st_gid} (-1 where unknown)
 */
public record FileStatus(boolean exists, long size, FileTime lastModified, FileTime lastChanged, int mode,
        long inode, int links, int uid, int gid) {
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    /** The status of a path that does not exist. */
    public static final FileStatus MISSING = new FileStatus(false, 0, EPOCH, EPOCH, 0, 0, 0, -1, -1);

    /**
     * stat(2) of {@code path} (following symbolic links, as libev does). It may block on a
     * slow filesystem; the watcher calls it on its own virtual thread.
     */
    static FileStatus of(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,mode,ino,nlink,uid,gid");
            return new FileStatus(true, (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"),
                    (FileTime) a.get("ctime"), (Integer) a.get("mode"), (Long) a.get("ino"),
                    (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return basic(path);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return MISSING;
        } catch (IOException e) {
            return MISSING; // unreadable counts as absent, as a failing stat() does in libev
        }
    }

    private static FileStatus basic(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStatus(true, a.size(), a.lastModifiedTime(), a.lastModifiedTime(), 0, 0, 1, -1, -1);
        } catch (IOException e) {
            return MISSING;
        }
    }
}
