/** Reading Gun.js's radata files (its RAD storage): used only by the import command. */
// the modules named in qualified exports are built after this one, so javac cannot see them yet
@SuppressWarnings("module")
module io.jgun.radata {
  requires transitive io.jgun.core;
  requires org.slf4j;

  exports io.jgun.radata to io.jgun.cli;
}
