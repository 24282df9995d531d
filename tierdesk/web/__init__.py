"""The browser UI's shell: layout, navigation, sign-in and the home page of each role."""
