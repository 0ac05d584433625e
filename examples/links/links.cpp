// gopl.io/ch5/links/links.go, with goro::http for net/http and gumbo
// (libgumbo-dev) for golang.org/x/net/html. Gumbo's parser is reentrant:
// each call owns its output tree, so extract runs in many goroutines at once.
#include "links.hpp"

#include <gumbo.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <goro/http.hpp>
#include <goro/io.hpp>
#include <goro/url.hpp>

namespace links {

using namespace goro;

namespace {

// Go's *html.Node tree: gumbo's output, destroyed with its owner.
struct Document {
  GumboOutput* output;
  ~Document() { gumbo_destroy_output(&kGumboDefaultOptions, output); }
  GumboNode* root() const { return output->document; }
};

// forEachNode calls the functions pre(x) and post(x) for each node
// x in the tree rooted at n. Both functions are optional.
// pre is called before the children are visited (preorder) and
// post is called after (postorder).
void for_each_node(GumboNode* n, const std::function<void(GumboNode*)>& pre,
                   const std::function<void(GumboNode*)>& post) {
  if (pre) {
    pre(n);
  }
  // Go: for c := n.FirstChild; c != nil; c = c.NextSibling
  if (n->type == GUMBO_NODE_DOCUMENT || n->type == GUMBO_NODE_ELEMENT ||
      n->type == GUMBO_NODE_TEMPLATE) {
    const GumboVector& children =
        n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      for_each_node(static_cast<GumboNode*>(children.data[i]), pre, post);
    }
  }
  if (post) {
    post(n);
  }
}

}  // namespace

Result<std::vector<std::string>> extract(const std::string& url) {
  auto resp = http::get(url);
  if (!resp) {
    return fail(resp.error());
  }
  if (resp->status_code != http::StatusOK) {
    resp->body.close();
    return fail(errors::make("getting " + url + ": " + resp->status));
  }

  // Go: doc, err := html.Parse(resp.Body); resp.Body.Close()
  auto body = io::read_all(resp->body);
  resp->body.close();
  if (!body) {
    return fail(errors::make("parsing " + url + " as HTML: " + body.error().message()));
  }
  Document doc{gumbo_parse_with_options(&kGumboDefaultOptions, body->data(), body->size())};

  std::vector<std::string> links;
  auto visit_node = [&](GumboNode* n) {
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_A) {
      const GumboVector& attrs = n->v.element.attributes;
      for (unsigned i = 0; i < attrs.length; ++i) {
        auto* a = static_cast<GumboAttribute*>(attrs.data[i]);
        if (std::string_view(a->name) != "href") {
          continue;
        }
        // Go: link, err := resp.Request.URL.Parse(a.Val)
        auto ref = url::parse(a->value);
        if (!ref) {
          continue;  // ignore bad URLs
        }
        links.push_back(resp->request.url.resolve_reference(*ref).string());
      }
    }
  };
  for_each_node(doc.root(), visit_node, nullptr);
  return links;
}

}  // namespace links
