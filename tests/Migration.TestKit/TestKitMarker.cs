namespace Migration.TestKit;

public static class TestKitMarker;
