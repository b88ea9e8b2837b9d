//! In-place writes of the commands that change files (`fmt`, `lint --fix`): each file is
//! written atomically inside its repository (`j1ql_project::write`); a file that cannot be
//! written is reported and the others are still written, with a summary at the end.

/// The writes of one command run.
#[derive(Default)]
pub struct Writes {
    written: usize,
    failed: Vec<String>,
}

impl Writes {
    /// Writes `text` to the file `name` of `project`; it must stay inside its repository
    /// (the folder holding `.git`, else the project's root). A failure is reported now and
    /// counted.
    pub fn write(&mut self, name: &str, text: &str, project: &j1ql_project::Project) {
        let path = std::path::Path::new(name);
        let root = j1ql_project::write::repository_root(path, project.root());
        match j1ql_project::write::write_atomic(path, text, &root) {
            Ok(()) => self.written += 1,
            Err(e) => {
                eprintln!("error: {e}");
                self.failed.push(name.to_string());
            }
        }
    }

    /// Prints how many files could not be written (`what`: "reformatted", "fixed"); true when
    /// any failed.
    pub fn finish(&self, what: &str) -> bool {
        if !self.failed.is_empty() {
            eprintln!(
                "{} {} not {what}: could not be written ({})",
                self.failed.len(),
                if self.failed.len() == 1 {
                    "file"
                } else {
                    "files"
                },
                self.failed.join(", ")
            );
        }
        !self.failed.is_empty()
    }
}
