//! Test helpers: a project built from Python sources, its Django/DRF routes,
//! and short views of them for assertions.

use crate::knowledge::Knowledge;
use crate::routes::Cx;
use archlint_model::{Language, ModuleName, Project, ProjectIndex, Route, SourceFile};
use archlint_python::PythonExtractor;

/// A project from `(path, source)` pairs; module names follow the paths
/// (`shop/api/urls.py` is `shop.api.urls`, `__init__.py` is its package).
pub fn project(files: &[(&str, &str)]) -> Project {
    let mut ex = PythonExtractor::new();
    Project::new(
        files
            .iter()
            .map(|(path, src)| {
                let stem = path.trim_end_matches(".py");
                let is_package = stem.ends_with("__init__");
                let module = stem.trim_end_matches("/__init__").replace('/', ".");
                SourceFile {
                    path: path.to_string(),
                    language: Language::Python,
                    module: ModuleName {
                        module,
                        crate_name: String::new(),
                        is_package,
                    },
                    facts: ex.extract(src.as_bytes()),
                }
            })
            .collect(),
    )
}

/// The Django/DRF routes of a project, sorted by path then methods.
pub fn routes_of(files: &[(&str, &str)]) -> Vec<Route> {
    let project = project(files);
    let index = ProjectIndex::new(&project);
    let k = Knowledge::builtin();
    let cx = Cx {
        index: &index,
        k: &k,
        py_wiring: None,
    };
    let mut out = Vec::new();
    super::routes(&cx, &mut out);
    out.sort_by(|a, b| (&a.path, a.methods).cmp(&(&b.path, b.methods)));
    out
}

/// `GET, POST /path` for every route, in order.
pub fn paths(routes: &[Route]) -> Vec<String> {
    routes.iter().map(Route::label).collect()
}

/// The only route at `path` (panics otherwise: tests only).
pub fn route<'r>(routes: &'r [Route], path: &str) -> &'r Route {
    let found: Vec<&Route> = routes.iter().filter(|r| r.path == path).collect();
    assert_eq!(found.len(), 1, "routes at {path}: {:?}", paths(routes));
    found[0]
}

/// The route at `path` serving `method`.
pub fn route_m<'r>(
    routes: &'r [Route],
    path: &str,
    method: archlint_model::MethodSet,
) -> &'r Route {
    routes
        .iter()
        .find(|r| r.path == path && r.methods.contains(method))
        .unwrap_or_else(|| panic!("no {method:?} route at {path}: {:?}", paths(routes)))
}

/// `scope:what` of each piece of evidence.
pub fn ev(list: &[archlint_model::Evidence]) -> Vec<String> {
    list.iter()
        .map(|e| format!("{}:{}", e.scope.as_str(), e.what))
        .collect()
}

/// Root urls of the DRF tests: `api/` includes `api.urls`.
const DRF_ROOT: &str = r#"
from django.urls import include, path
urlpatterns = [path("api/", include("api.urls"))]
"#;

/// Routes of an `api` app (views and urls) mounted at `/api/`.
pub fn drf_api(views: &str, urls: &str) -> Vec<Route> {
    routes_of(&[
        ("proj/urls.py", DRF_ROOT),
        ("api/views.py", views),
        ("api/urls.py", urls),
    ])
}

/// As [`drf_api`], with a settings module.
pub fn drf_api_with_settings(settings: &str, views: &str, urls: &str) -> Vec<Route> {
    routes_of(&[
        ("proj/settings.py", settings),
        ("proj/urls.py", DRF_ROOT),
        ("api/views.py", views),
        ("api/urls.py", urls),
    ])
}

/// Routes of a `shop` app with only views and urls (no root, no settings).
pub fn shop_app(views: &str, urls: &str) -> Vec<Route> {
    routes_of(&[("shop/views.py", views), ("shop/urls.py", urls)])
}
