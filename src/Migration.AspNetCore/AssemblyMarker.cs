namespace Migration.AspNetCore;

internal static class AssemblyMarker;
