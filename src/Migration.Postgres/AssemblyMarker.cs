namespace Migration.Postgres;

internal static class AssemblyMarker;
