namespace Migration.Migrations;

internal static class AssemblyMarker;
